// The search page: results as the reader types, from the index the build wrote into the site
// (one per language part, see src/search/bundle.rs for its files), so no request leaves the
// site. A query downloads the index's description, the piece of the index of each of its
// words, and the pages of the results it shows.
const page = document.querySelector(".search[data-bundle]");
const PAGE_SIZE = 10;
// Letters a piece of the word index is named after (PREFIX in src/search/bundle.rs).
const PREFIX = 3;

/** A word as the index keeps it: lowercased, accents folded (`fold` in src/search/words.rs). */
const fold = (word) => word.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");

/** The words of a text, as src/search/words.rs `split` finds them. */
const split = (text) => text.split(/[^\p{L}\p{N}]+/u)
  .filter((w) => ([...w].length >= 2 || /\p{N}/u.test(w)) && [...w].length <= 40);

const hex = (text) => [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** One part's index, its files fetched once. */
class Index {
  constructor(url) {
    this.url = url;
    this.files = new Map();
  }

  get(path) {
    if (!this.files.has(path)) {
      this.files.set(path, fetch(this.url + path).then((r) => (r.ok ? r.json() : null)));
    }
    return this.files.get(path);
  }

  meta() { return this.get("meta.json"); }

  piece(word) { return this.get(`w/${hex([...word].slice(0, PREFIX).join(""))}.json`); }

  /** The pages holding a word typed by the reader, with their weights, and the stems found. */
  async lookup(word, last) {
    const key = fold(word);
    const piece = (await this.piece(key)) ?? { s: {}, f: {} };
    const stems = new Set();
    const form = piece.f[key];
    if (piece.s[key]) stems.add(key);
    // A form the site writes: its stem may be in another piece (`ran` → `run`).
    if (form) stems.add(form);
    const pieces = [piece];
    if (form && !piece.s[form]) pieces.push((await this.piece(form)) ?? { s: {} });
    // As the reader types, the last word is also the start of longer ones.
    if (last && [...key].length >= PREFIX) {
      for (const stem of Object.keys(piece.s)) if (stem.startsWith(key)) stems.add(stem);
    }
    // A form the site never wrote (`régulations` where it says `régulation`): the stem of
    // the longest form or stem it begins with, a few letters shorter at most.
    for (let n = key.length - 1; stems.size === 0 && n >= Math.max(PREFIX, key.length - 4); n--) {
      const start = key.slice(0, n);
      if (piece.s[start]) stems.add(start);
      else if (piece.f[start] && piece.s[piece.f[start]]) stems.add(piece.f[start]);
    }
    const pages = new Map();
    for (const stem of stems) {
      const postings = pieces.find((p) => p.s[stem])?.s[stem] ?? [];
      for (let i = 0, id = 0; i < postings.length; i += 2) {
        id += postings[i];
        pages.set(id, (pages.get(id) ?? 0) + postings[i + 1]);
      }
    }
    return { pages, stems };
  }

  /** Pages matching every word, scored; or, without words, every page, newest first. */
  async search(words, picked) {
    const meta = await this.meta();
    let scores = null;
    const stems = new Set();
    for (const [i, word] of words.entries()) {
      const found = await this.lookup(word, i === words.length - 1);
      found.stems.forEach((s) => stems.add(s));
      if (scores === null) scores = found.pages;
      else for (const id of scores.keys()) {
        if (found.pages.has(id)) scores.set(id, scores.get(id) + found.pages.get(id));
        else scores.delete(id);
      }
    }
    if (scores === null) scores = new Map(Array.from({ length: meta.pages }, (_, id) => [id, 0]));
    for (const [kind, value] of Object.entries(picked)) {
      const n = meta.filters[kind]?.indexOf(value) ?? -1;
      const allowed = new Set(n < 0 ? [] : await this.get(`f/${kind}/${n}.json`));
      for (const id of scores.keys()) if (!allowed.has(id)) scores.delete(id);
    }
    return [...scores].map(([id, score]) => ({ index: this, id, score, stems }));
  }
}

if (page) {
  const form = page.querySelector(".search-form");
  const input = form.elements.q;
  const status = page.querySelector(".search-status");
  const list = page.querySelector(".search-results");
  const more = page.querySelector(".search-more");
  const filterBox = page.querySelector(".search-filters");
  const selects = [...page.querySelectorAll("select[data-filter]")];
  const languageSelect = page.querySelector("#search-lang");
  // This part's index first, then the other languages' (the language filter's options).
  const languages = languageSelect
    ? [...languageSelect.options].filter((o) => o.dataset.bundle).map((o) => ({ lang: o.value, url: o.dataset.bundle }))
    : [{ lang: document.documentElement.lang, url: page.dataset.bundle }];
  const lang = document.documentElement.lang;
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: "long" });
  const indexes = new Map();
  let shown = [];
  let run = 0;
  let timer;

  page.querySelector(".search-nojs").hidden = true;

  const index = (url) => {
    if (!indexes.has(url)) indexes.set(url, new Index(url));
    return indexes.get(url);
  };

  /** The indexes the language filter asks for: this part's unless another is chosen. */
  function chosen() {
    const choice = languageSelect?.value ?? languages[0].lang;
    return (choice === "all" ? languages : languages.filter((l) => l.lang === choice)).map((l) => index(l.url));
  }

  function filters() {
    const picked = {};
    for (const select of selects) if (select.value) picked[select.dataset.filter] = select.value;
    return picked;
  }

  /** Fills the filter lists with the values of the chosen indexes, keeping the choices. */
  async function fillFilters() {
    const values = {};
    for (const meta of await Promise.all(chosen().map((i) => i.meta()))) {
      for (const [kind, names] of Object.entries(meta?.filters ?? {})) {
        values[kind] ??= new Set();
        names.forEach((name) => values[kind].add(name));
      }
    }
    for (const select of selects) {
      const kept = select.value;
      const names = [...(values[select.dataset.filter] ?? [])].sort((a, b) => a.localeCompare(b, lang));
      select.replaceChildren(select.options[0]);
      for (const name of names) select.add(new Option(name, name, false, name === kept));
    }
    filterBox.hidden = false;
  }

  /** About 30 words of the text around its first matched word, those words marked. */
  function excerpt(text, stems) {
    const paragraph = document.createElement("p");
    paragraph.className = "search-result__excerpt";
    const tokens = text.split(/([^\p{L}\p{N}]+)/u);
    const matches = (token) => {
      const key = fold(token);
      return key.length > 0 && [...stems].some((stem) => key.startsWith(stem));
    };
    const first = Math.max(0, tokens.findIndex(matches));
    const start = Math.max(0, first - 16 - (first % 2));
    const end = Math.min(tokens.length, start + 60);
    if (start > 0) paragraph.append("… ");
    for (const token of tokens.slice(start, end)) {
      if (/[\p{L}\p{N}]/u.test(token) && matches(token)) {
        const mark = document.createElement("mark");
        mark.textContent = token;
        paragraph.append(mark);
      } else {
        paragraph.append(token);
      }
    }
    if (end < tokens.length) paragraph.append(" …");
    return paragraph;
  }

  function item(data, stems) {
    const li = document.createElement("li");
    li.className = "search-result";
    const title = document.createElement("h2");
    title.className = "search-result__title";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.title;
    title.append(link);
    const meta = document.createElement("p");
    meta.className = "search-result__meta";
    if (data.category) meta.append(data.category, " · ");
    const time = document.createElement("time");
    time.dateTime = data.date;
    time.textContent = dates.format(new Date(data.date));
    meta.append(time);
    li.append(title, meta, excerpt(data.text, stems));
    if (data.image) {
      const image = document.createElement("img");
      image.className = "search-result__image";
      image.src = data.image;
      image.alt = "";
      image.loading = "lazy";
      li.prepend(image);
    }
    return li;
  }

  /** Shows the next results; each result's page of the index is fetched only now. */
  async function showMore(ticket) {
    const next = shown.splice(0, PAGE_SIZE);
    const pages = await Promise.all(next.map((r) => r.index.get(`p/${r.id}.json`)));
    if (ticket !== run) return;
    list.append(...pages.map((data, i) => item(data, next[i].stems)));
    more.hidden = shown.length === 0;
  }

  async function search() {
    const ticket = ++run;
    const query = input.value.trim();
    const words = split(query);
    const picked = filters();
    const url = new URL(location.href);
    const language = languageSelect && languageSelect.value !== languages[0].lang ? { lang: languageSelect.value } : {};
    url.search = new URLSearchParams({ ...(query && { q: query }), ...picked, ...language });
    history.replaceState(null, "", url);
    if (words.length === 0 && Object.keys(picked).length === 0) {
      list.replaceChildren();
      list.hidden = more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = page.dataset.searching;
    try {
      const found = (await Promise.all(chosen().map((i) => i.search(words, picked)))).flat();
      if (ticket !== run) return;
      // Best first; then, and without words, newest first (pages are numbered so).
      found.sort((a, b) => b.score - a.score || a.id - b.id);
      const total = found.length;
      shown = found;
      list.replaceChildren();
      list.hidden = total === 0;
      await showMore(ticket);
      if (ticket !== run) return;
      // Announced once the results it counts are on the page.
      const template = total === 0 ? page.dataset.foundNone
        : total === 1 ? page.dataset.foundOne : page.dataset.foundMany;
      status.textContent = template.replace("{query}", query).replace("{count}", total.toLocaleString(lang));
    } catch (error) {
      if (ticket === run) status.textContent = page.dataset.failed;
      throw error;
    }
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  input.addEventListener("input", soon);
  for (const select of selects) select.addEventListener("change", search);
  languageSelect?.addEventListener("change", () => fillFilters().then(search));
  more.querySelector("button").addEventListener("click", () => {
    const first = list.children.length;
    showMore(run).then(() => list.children[first]?.querySelector("a")?.focus());
  });

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? "";
  if (languageSelect && params.get("lang")) languageSelect.value = params.get("lang");
  fillFilters().then(() => {
    for (const select of selects) select.value = params.get(select.dataset.filter) ?? "";
    if (input.value || Object.keys(filters()).length) search();
  });
}
