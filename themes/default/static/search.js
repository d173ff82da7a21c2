// The search page: results as the reader types, from the Pagefind indexes the build wrote
// into the site (one per language part), so no request leaves the site. Each index's
// pagefind.js is its own module, with its own state, which is how several languages are
// searched at once.
const page = document.querySelector(".search[data-bundle]");
const PAGE_SIZE = 10;

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
    ? [...languageSelect.options].filter((o) => o.dataset.bundle).map((o) => ({ lang: o.value, bundle_url: o.dataset.bundle }))
    : [{ lang: document.documentElement.lang, bundle_url: page.dataset.bundle }];
  const lang = document.documentElement.lang;
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: "long" });
  const bundles = new Map();
  let shown = [];
  let run = 0;
  let timer;

  page.querySelector(".search-nojs").hidden = true;

  /** The Pagefind module of the index at `url`, loaded once. */
  function bundle(url) {
    if (!bundles.has(url)) {
      bundles.set(url, import(`${url}pagefind.js`).then(async (pagefind) => {
        // Result URLs are written whole, base path included.
        await pagefind.options({ baseUrl: "/", excerptLength: 24 });
        await pagefind.init();
        return pagefind;
      }));
    }
    return bundles.get(url);
  }

  /** The indexes the language filter asks for: this part's unless another is chosen. */
  function chosen() {
    const choice = languageSelect?.value ?? languages[0].lang;
    const wanted = choice === "all" ? languages : languages.filter((l) => l.lang === choice);
    return Promise.all(wanted.map((l) => bundle(l.bundle_url)));
  }

  function filters() {
    const picked = {};
    for (const select of selects) {
      if (select.value) picked[select.dataset.filter] = select.value;
    }
    return picked;
  }

  /** Fills the filter lists with the values of the chosen indexes, keeping the choices. */
  async function fillFilters() {
    const counts = {};
    for (const pagefind of await chosen()) {
      for (const [name, values] of Object.entries(await pagefind.filters())) {
        counts[name] ??= new Set();
        Object.keys(values).forEach((v) => counts[name].add(v));
      }
    }
    for (const select of selects) {
      const kept = select.value;
      const values = [...(counts[select.dataset.filter] ?? [])].sort((a, b) => a.localeCompare(b, lang));
      select.replaceChildren(select.options[0]);
      for (const value of values) select.add(new Option(value, value, false, value === kept));
    }
    filterBox.hidden = false;
  }

  function say(template, query, count) {
    status.textContent = template.replace("{query}", query).replace("{count}", count.toLocaleString(lang));
  }

  function item(data) {
    const li = document.createElement("li");
    li.className = "search-result";
    const title = document.createElement("h2");
    title.className = "search-result__title";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title;
    title.append(link);
    const meta = document.createElement("p");
    meta.className = "search-result__meta";
    if (data.meta.category) {
      const category = document.createElement("span");
      category.textContent = data.meta.category;
      meta.append(category, " · ");
    }
    if (data.meta.date) {
      const time = document.createElement("time");
      time.dateTime = data.meta.date;
      time.textContent = dates.format(new Date(data.meta.date));
      meta.append(time);
    }
    const excerpt = document.createElement("p");
    excerpt.className = "search-result__excerpt";
    // The index holds plain text; Pagefind escapes its `<` and `>` and marks the matched
    // words, so an excerpt holds no element but <mark> and an article quoting markup shows
    // it as text.
    excerpt.innerHTML = data.excerpt;
    li.append(title, meta, excerpt);
    if (data.meta.image) {
      const image = document.createElement("img");
      image.className = "search-result__image";
      image.src = data.meta.image;
      image.alt = "";
      image.loading = "lazy";
      li.prepend(image);
    }
    return li;
  }

  /** Shows the next page of results; fragments are downloaded only for what is shown. */
  async function showMore(ticket) {
    const next = shown.splice(0, PAGE_SIZE);
    const items = await Promise.all(next.map((result) => result.data()));
    if (ticket !== run) return;
    list.append(...items.map(item));
    more.hidden = shown.length === 0;
  }

  async function search() {
    const ticket = ++run;
    const query = input.value.trim();
    const picked = filters();
    const url = new URL(location.href);
    url.search = new URLSearchParams({ ...(query && { q: query }), ...picked, ...(languageSelect && languageSelect.value !== languages[0].lang && { lang: languageSelect.value }) });
    history.replaceState(null, "", url);
    if (!query && Object.keys(picked).length === 0) {
      list.replaceChildren();
      list.hidden = more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = page.dataset.searching;
    try {
      const found = await Promise.all((await chosen()).map((p) => p.search(query || null, { filters: picked, ...(!query && { sort: { date: "desc" } }) })));
      if (ticket !== run) return;
      const results = found.flatMap((f) => f.results);
      if (query) results.sort((a, b) => b.score - a.score);
      else results.sort((a, b) => (a.id < b.id ? -1 : 1));
      shown = results;
      list.replaceChildren();
      list.hidden = results.length === 0;
      const template = results.length === 0 ? page.dataset.foundNone
        : results.length === 1 ? page.dataset.foundOne : page.dataset.foundMany;
      await showMore(ticket);
      // Announced once the results it counts are on the page.
      if (ticket === run) say(template, query, results.length);
    } catch (error) {
      if (ticket === run) status.textContent = page.dataset.failed;
      throw error;
    }
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
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
