#!/usr/bin/env python3
"""Generate a synthetic Kiosque site for benchmarks.

Usage: gen_corpus.py [--seed SEED] N OUTDIR

Writes OUTDIR/site.toml and N articles under OUTDIR/content/<year>/<slug>.md.
The output depends only on N and the seed (default 42). Any existing
OUTDIR/content directory is replaced. Python 3 standard library only.
"""

import argparse
import os
import re
import shutil
import sys
import time
import unicodedata
from datetime import datetime, timedelta
from random import Random

# --------------------------------------------------------------------------- pools

AUTHORS = [
    "Camille Lefèvre", "Hélène Dubois", "François Martin", "Zoë Bernard",
    "Jérôme Petit", "Anaïs Moreau", "Loïc Garnier", "Noémie Roux",
    "Mathéo Fournier", "Björn Andersson", "Ana Núñez", "José García",
    "Chloé Girard", "Émile Bonnet", "Gaëlle Lambert", "Thomas Durand",
    "Sarah Cohen", "Lucas Mercier", "Inès Haddad", "Yann Le Goff",
    "Maëlle Guillou", "Raphaël Blanc", "Julie Chevalier", "Kenji Watanabe",
    "Priya Raman", "Olivier Faure", "Amélie Rousseau", "Nicolas Perrin",
    "Céline Marchand", "Samuel Lévy",
]

CATEGORIES = [
    "Intelligence artificielle", "Développement", "Sécurité", "Matériel",
    "Logiciel libre", "Cloud", "Mobile", "Jeux vidéo", "Science",
    "Entreprises", "Réseaux", "Vie privée",
]

_TAG_BASE = """
Intelligence Artificielle|Apprentissage automatique|Deep Learning|LLM|ChatGPT|Mistral AI|
OpenAI|Anthropic|Google|Apple|Microsoft|Meta|Amazon|Nvidia|AMD|Intel|Qualcomm|ARM|RISC-V|
Samsung|Xiaomi|Huawei|Sony|Nintendo|Valve|Steam Deck|PlayStation 5|Xbox|Switch 2|Tesla|
SpaceX|Starlink|Rust|Python|JavaScript|TypeScript|Go|C++|Java|Kotlin|Swift|Zig|Haskell|
OCaml|Elixir|WebAssembly|Node.js|Deno|Bun|React|Vue.js|Svelte|Angular|Django|Rails|
Linux|Noyau Linux|Debian|Ubuntu|Fedora|Arch Linux|NixOS|FreeBSD|Windows 11|macOS|iOS|
Android|ChromeOS|Firefox|Chrome|Safari|Vivaldi|Mozilla|Fondation Linux|GNOME|KDE|Wayland|
Systemd|Docker|Kubernetes|Podman|Terraform|Ansible|AWS|Azure|Google Cloud|OVHcloud|
Scaleway|Cloudflare|Hébergement|Centres de données|Énergie|Écologie numérique|Sobriété|
Batteries|Semi-conducteurs|TSMC|Puces|Processeurs|Cartes graphiques|Mémoire vive|SSD|
Stockage|Sauvegarde|Chiffrement|Cryptographie|Post-quantique|Informatique quantique|
Cybersécurité|Rançongiciel|Hameçonnage|Vulnérabilité|Faille zero-day|CVE|ANSSI|CNIL|RGPD|
Vie privée|Données personnelles|Surveillance|Reconnaissance faciale|Biométrie|Identité numérique|
France Connect|Administration|Éducation|Santé|Télémédecine|Fintech|Cryptomonnaies|Bitcoin|
Ethereum|Blockchain|NFT|Paiement mobile|Réseaux sociaux|X|Mastodon|Bluesky|Fédivers|
Threads|TikTok|YouTube|Twitch|Netflix|Spotify|Streaming|Podcast|Musique|Cinéma|Séries|
Jeux vidéo|Jeu indépendant|Esport|Réalité virtuelle|Réalité augmentée|Vision Pro|Quest 3|
Métavers|Robotique|Drones|Voitures électriques|Voiture autonome|Mobilité|Vélo électrique|
Transports|Espace|Ariane 6|ESA|NASA|Satellites|Télescope James Webb|Astronomie|Climat|
Météo|Open source|Logiciel libre|Licences|GitHub|GitLab|Forgejo|Git|Compilateurs|LLVM|GCC|
Performances|Benchmarks|Optimisation|Mémoire|Concurrence|Asynchrone|Tests|Intégration continue|
DevOps|Observabilité|Bases de données|PostgreSQL|SQLite|MySQL|Redis|MongoDB|Elasticsearch|
Recherche|Moteurs de recherche|Qwant|DuckDuckGo|Navigateurs|Accessibilité|Design|UX|CSS|HTML|
Standards du Web|W3C|WHATWG|HTTP/3|QUIC|IPv6|DNS|Fibre optique|5G|Wi-Fi 7|Bluetooth|Arcep|
Opérateurs|Orange|SFR|Bouygues Telecom|Free|Smartphones|Tablettes|Ordinateurs portables|
Montres connectées|Objets connectés|Domotique|Matter|Maison connectée|Imprimantes 3D|Arduino|
Raspberry Pi|Électronique|Réparabilité|Indice de durabilité|Droit à la réparation|
Commission européenne|Union européenne|DMA|DSA|AI Act|Régulation|Concurrence déloyale|
Antitrust|Justice|Brevets|Droit d'auteur|Piratage|Hadopi|Arcom|Start-up|Levée de fonds|
French Tech|Licenciements|Télétravail|Emploi|Formation|Recrutement|Salaires|Économie|Bourse|
Résultats financiers|Rachat|Fusion|Entrepreneuriat|Histoire de l'informatique|Rétrogaming|
Émulation|Tutoriel|Guide d'achat|Test|Comparatif|Interview|Tribune|Enquête|Analyse|Dossier|
Rumeur|Fuite|Conférence|WWDC|Google I/O|CES|MWC|VivaTech|FOSDEM|RustConf|PyCon|Hackathon
"""

# Case and accent variants that real sites accumulate over the years.
_TAG_VARIANTS = [
    "intelligence artificielle", "Intelligence artificielle", "IA", "ia",
    "apprentissage automatique", "deep learning", "llm", "rust", "python",
    "javascript", "linux", "LINUX", "open source", "Open Source", "Opensource",
    "logiciel libre", "Logiciel Libre", "cybersecurite", "Cybersecurite",
    "cybersécurité", "Securite", "Sécurité", "securite", "Vie Privee",
    "vie privée", "donnees personnelles", "Donnees personnelles",
    "jeux video", "Jeux Vidéo", "jeux vidéo", "Realite virtuelle",
    "réalité virtuelle", "Energie", "énergie", "ecologie numerique",
    "Ecologie numérique", "Télétravail ", "teletravail", "Economie",
    "économie", "Reseaux sociaux", "réseaux sociaux", "smartphones",
    "SMARTPHONES", "Voitures Électriques", "voitures electriques",
    "Webassembly", "WebAssembly ", "wasm", "Wasm", "Noyau linux",
    "Droit d’auteur", "droit d'auteur", "Éducation ", "education",
]

TAGS = []
_seen = set()
for _t in _TAG_BASE.replace("\n", "").split("|") + _TAG_VARIANTS:
    if _t.strip() and _t not in _seen:
        _seen.add(_t)
        TAGS.append(_t)
del _seen, _t

CODE_LANGS = ["rust", "python", "js", "bash", "json"]

# Sentence fragments: subject + verb + object + complement.
FR = {
    "subj": [
        "L'équipe de développement", "Le nouveau compilateur", "Cette mise à jour",
        "La fondation", "Le géant américain", "La start-up française",
        "Le projet open source", "La Commission européenne", "Le noyau Linux",
        "Le moteur de rendu", "Notre banc d'essai", "La version bêta",
        "Le fabricant taïwanais", "L'éditeur", "Le nouveau processeur",
        "La bibliothèque standard", "Le navigateur", "L'ANSSI", "La CNIL",
        "Le gestionnaire de paquets", "Ce modèle de langage", "Le service de streaming",
        "La communauté", "Le régulateur", "Le constructeur", "Le framework",
        "L'opérateur", "Le ministère", "Cette fonctionnalité", "Le chercheur interrogé",
    ],
    "verb": [
        "améliore", "remplace", "accélère", "simplifie", "complique", "réduit",
        "double", "réécrit", "abandonne", "intègre", "publie", "annonce",
        "teste", "dévoile", "corrige", "déploie", "généralise", "repousse",
        "chiffre", "optimise", "rend obsolète", "met en avant", "expérimente",
        "documente", "remet en cause", "sécurise", "mesure", "compare",
    ],
    "obj": [
        "la gestion de la mémoire", "le temps de compilation", "la consommation d'énergie",
        "le support des anciennes machines", "l'interface utilisateur",
        "le système de greffons", "la chaîne de compilation", "les performances réseau",
        "le chiffrement de bout en bout", "la collecte de données",
        "le modèle économique", "la compatibilité ascendante", "le format de fichier",
        "les temps de chargement", "la latence", "le pilote graphique",
        "la documentation", "l'autonomie de la batterie", "le protocole",
        "la politique de confidentialité", "les API publiques", "le cache disque",
        "les mises à jour automatiques", "le ramasse-miettes", "la pile TCP",
        "le moteur JavaScript", "les tests d'intégration", "la licence du code",
    ],
    "comp": [
        "dans la plupart des cas", "selon les premiers tests", "depuis la version {v}",
        "sans changement majeur pour les utilisateurs", "à partir du mois prochain",
        "sur les machines les plus modestes", "d'après nos mesures",
        "au grand dam des développeurs", "pour la première fois",
        "avec un gain de {p} %", "malgré quelques régressions",
        "en attendant une version stable", "sur toutes les plateformes",
        "dans un billet de blog", "lors de sa conférence annuelle",
        "au terme de {n} mois de travail", "pour un coût modeste",
        "sous la pression des régulateurs", "en Europe seulement",
        "à en croire la feuille de route", "grâce à {n} contributeurs bénévoles",
        "de manière expérimentale", "en toute discrétion", "sans réelle surprise",
    ],
    "lead": [
        "En pratique, ", "Par ailleurs, ", "Concrètement, ", "Pour autant, ",
        "De son côté, ", "Autrement dit, ", "Côté utilisateurs, ", "Sans surprise, ",
        "À noter : ", "Selon nos informations, ", "", "", "", "", "", "",
    ],
    "link": [
        "le billet d'annonce", "la documentation officielle", "le dépôt du projet",
        "notre précédent article", "le rapport complet", "les notes de version",
        "le ticket de suivi", "la feuille de route",
    ],
    "h2": [
        "Contexte", "Ce qui change", "Performances", "Migration depuis la version {v}",
        "Limites connues", "Ce qu'en pensent les développeurs", "Et ensuite ?",
        "Sécurité et vie privée", "Disponibilité et prix", "Un peu d'histoire",
        "Sous le capot", "Les chiffres clés", "Notre avis", "Compatibilité",
        "Ce qu'il faut retenir", "Réactions", "Méthodologie", "Alternatives",
    ],
    "h3": [
        "Sur Linux", "Sur Windows", "Sur macOS", "Côté serveur", "Côté client",
        "Premiers résultats", "Cas particuliers", "Exemple", "Les bons points",
        "Les moins bons", "Installation", "Configuration", "Tarifs",
        "En détail", "Questions ouvertes", "Mesures",
    ],
    "item": [
        "une meilleure gestion des erreurs", "la fin du support de {x}",
        "un mode sombre enfin cohérent", "des temps de démarrage divisés par deux",
        "la prise en charge de {x}", "un nouveau format de configuration",
        "des journaux plus lisibles", "une API stabilisée", "moins de dépendances",
        "un installeur repensé", "la traduction en {n} langues",
        "une empreinte mémoire réduite de {p} %", "des correctifs de sécurité",
        "un greffon officiel pour {x}", "la compatibilité avec {x}",
    ],
    "title": [
        "{x} {v} : {claim}", "{x} {tverb} {tobj}", "Pourquoi {x} {tverb} {tobj}",
        "{n} choses à savoir sur {x}", "On a testé {x} {v}",
        "{x} : {claim}", "Comment {x} {tverb} {tobj}", "{x} face à {y} : {claim}",
        "{x} {v} est disponible", "Ce que {x} {v} change pour {y}",
    ],
    "claim": [
        "ce qui change vraiment", "une révolution en douceur", "le bilan",
        "les nouveautés en détail", "un pari risqué", "enfin stable",
        "la fin d'une époque", "des gains spectaculaires", "un démarrage poussif",
        "le grand ménage", "une mise à jour majeure", "ce qu'il faut savoir",
    ],
    "tverb": [
        "améliore", "abandonne", "réinvente", "accélère", "simplifie", "relance",
        "sécurise", "repense", "ouvre", "verrouille",
    ],
    "tobj": [
        "son modèle économique", "le développement web", "la gestion des paquets",
        "la vie privée", "ses pilotes", "l'informatique embarquée",
        "le jeu vidéo", "ses centres de données", "le chiffrement", "son écosystème",
        "la recherche en ligne", "la mobilité électrique",
    ],
}

EN = {
    "subj": [
        "The core team", "The new compiler", "This release", "The foundation",
        "The US giant", "The Paris-based startup", "The open source project",
        "The European Commission", "The Linux kernel", "The rendering engine",
        "Our test bench", "The beta build", "The Taiwanese chipmaker", "The vendor",
        "The new processor", "The standard library", "The browser",
        "The package manager", "This language model", "The streaming service",
        "The community", "The regulator", "The framework", "The maintainer we spoke to",
    ],
    "verb": [
        "improves", "replaces", "speeds up", "simplifies", "complicates", "reduces",
        "doubles", "rewrites", "drops", "integrates", "ships", "announces", "tests",
        "unveils", "fixes", "rolls out", "delays", "encrypts", "optimizes",
        "deprecates", "highlights", "documents", "questions", "secures", "measures",
    ],
    "obj": [
        "memory management", "build times", "power consumption",
        "support for older machines", "the user interface", "the plugin system",
        "the toolchain", "network throughput", "end-to-end encryption",
        "data collection", "the business model", "backward compatibility",
        "the file format", "load times", "tail latency", "the graphics driver",
        "the documentation", "battery life", "the wire protocol", "the privacy policy",
        "the public APIs", "the disk cache", "automatic updates", "the garbage collector",
    ],
    "comp": [
        "in most cases", "according to early benchmarks", "since version {v}",
        "with no visible change for users", "starting next month",
        "on low-end hardware", "based on our measurements", "to the dismay of developers",
        "for the first time", "with a {p}% improvement", "despite a few regressions",
        "ahead of a stable release", "across all platforms", "in a blog post",
        "at its yearly conference", "after {n} months of work", "at a modest cost",
        "under regulatory pressure", "in Europe only", "if the roadmap is to be believed",
        "thanks to {n} volunteer contributors", "as an experiment", "quietly",
    ],
    "lead": [
        "In practice, ", "Meanwhile, ", "Concretely, ", "Still, ", "On the other hand, ",
        "In other words, ", "For users, ", "Unsurprisingly, ", "Note that ",
        "According to our sources, ", "", "", "", "", "", "",
    ],
    "link": [
        "the announcement", "the official docs", "the project repository",
        "our previous article", "the full report", "the release notes",
        "the tracking issue", "the roadmap",
    ],
    "h2": [
        "Background", "What changes", "Performance", "Migrating from {v}",
        "Known limitations", "What developers think", "What's next",
        "Security and privacy", "Availability and pricing", "A bit of history",
        "Under the hood", "Key figures", "Our take", "Compatibility",
        "Takeaways", "Reactions", "Methodology", "Alternatives",
    ],
    "h3": [
        "On Linux", "On Windows", "On macOS", "Server side", "Client side",
        "First results", "Edge cases", "Example", "The good", "The bad",
        "Installation", "Configuration", "Pricing", "In detail", "Open questions",
    ],
    "item": [
        "better error handling", "dropped support for {x}", "a consistent dark mode",
        "startup times cut in half", "support for {x}", "a new configuration format",
        "more readable logs", "a stabilized API", "fewer dependencies",
        "a redesigned installer", "translations in {n} languages",
        "a {p}% smaller memory footprint", "security fixes",
        "an official {x} plugin", "compatibility with {x}",
    ],
    "title": [
        "{x} {v}: {claim}", "{x} {tverb} {tobj}", "Why {x} {tverb} {tobj}",
        "{n} things to know about {x}", "We tested {x} {v}", "{x}: {claim}",
        "How {x} {tverb} {tobj}", "{x} vs {y}: {claim}", "{x} {v} is out",
        "What {x} {v} means for {y}",
    ],
    "claim": [
        "what really changes", "a quiet revolution", "the verdict",
        "all the new features", "a risky bet", "finally stable", "the end of an era",
        "impressive gains", "a slow start", "a big cleanup", "a major update",
        "what you need to know",
    ],
    "tverb": [
        "improves", "abandons", "reinvents", "speeds up", "simplifies", "revives",
        "secures", "rethinks", "opens up", "locks down",
    ],
    "tobj": [
        "its business model", "web development", "package management", "privacy",
        "its drivers", "embedded computing", "gaming", "its data centers",
        "encryption", "its ecosystem", "online search", "electric mobility",
    ],
}

PRODUCTS = [
    "Rust", "Python", "Firefox", "Chrome", "Linux", "Debian", "Ubuntu", "Fedora",
    "Android", "iOS", "Windows", "macOS", "Kubernetes", "Docker", "PostgreSQL",
    "SQLite", "Node.js", "Deno", "TypeScript", "Go", "Kotlin", "Swift", "Zig",
    "GNOME", "KDE Plasma", "Wayland", "LibreOffice", "Thunderbird", "VLC", "Blender",
    "Godot", "Unity", "Mastodon", "Signal", "Proton Mail", "Nextcloud", "Mistral",
    "Llama", "Gemini", "Copilot", "Steam", "Raspberry Pi", "Arduino", "RISC-V",
    "Qualcomm", "Nvidia", "AMD", "Intel", "Apple", "Samsung", "Free", "Orange",
    "OVHcloud", "Scaleway", "Cloudflare", "GitHub", "GitLab", "Forgejo", "Vim", "Emacs",
    "Neovim", "VS Code", "Zed", "Helix", "WebAssembly", "HTTP/3", "OpenSSL", "curl",
    "FFmpeg", "Wine", "Proton", "Ariane 6", "Starlink", "Tesla", "la SNCF", "l'Arcep",
]

DOMAINS = [
    "example.org", "blog.example.com", "docs.example.net", "github.com/example",
    "news.example.fr", "research.example.edu", "lwn.example", "forge.example.org",
]

WORD_RE = re.compile(r"[^a-z0-9]+")

# ----------------------------------------------------------------- code snippets

CODE = {
    "rust": """use std::collections::HashMap;

/// Counts {w1} occurrences.
fn count_{w1}(items: &[&str]) -> HashMap<String, usize> {{
    let mut counts = HashMap::new();
    for item in items {{
        *counts.entry(item.to_lowercase()).or_insert(0) += {n};
    }}
    counts
}}

fn main() {{
    let data = ["{w2}", "{w3}", "{w2}"];
    println!("{{:?}}", count_{w1}(&data));
}}""",
    "python": """import json
from pathlib import Path


def load_{w1}(path: Path) -> list[dict]:
    \"\"\"Load the {w2} records, skipping drafts.\"\"\"
    records = json.loads(path.read_text(encoding="utf-8"))
    return [r for r in records if not r.get("draft")][:{n}]


if __name__ == "__main__":
    for record in load_{w1}(Path("{w3}.json")):
        print(record["title"])""",
    "js": """const {w1} = async (url) => {{
  const response = await fetch(url, {{ headers: {{ Accept: "application/json" }} }});
  if (!response.ok) {{
    throw new Error(`HTTP ${{response.status}} for {w2}`);
  }}
  const items = await response.json();
  return items.slice(0, {n}).map((item) => item.{w3});
}};

{w1}("https://api.example.org/{w2}").then(console.log);""",
    "bash": """#!/usr/bin/env bash
set -euo pipefail

# Rebuild {w1} and keep the last {n} archives.
cargo build --release
tar -czf "{w2}-$(date +%F).tar.gz" target/release/{w3}
ls -1t {w2}-*.tar.gz | tail -n +{n1} | xargs -r rm --""",
    "json": """{{
  "name": "{w1}",
  "version": "{v}",
  "private": true,
  "workers": {n},
  "features": ["{w2}", "{w3}"],
  "cache": {{ "enabled": true, "ttl_seconds": {p}00 }}
}}""",
}

CODE_WORDS = [
    "articles", "tags", "feeds", "pages", "authors", "cache", "index", "assets",
    "builds", "entries", "posts", "slugs", "images", "metrics", "events", "jobs",
]

YT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

# ---------------------------------------------------------------------- helpers


def slugify(text):
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = WORD_RE.sub("-", text).strip("-")
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug or "article"


def yq(s):
    """YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tq(s):
    """TOML basic string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Gen:
    def __init__(self, seed):
        self.rng = Random(seed)
        self.rnd = self.rng.random
        # Zipf-like popularity so term pages have very different sizes.
        weights = [1.0 / (i + 1) ** 0.8 for i in range(len(TAGS))]
        order = list(range(len(TAGS)))
        self.rng.shuffle(order)
        self.tags = [TAGS[i] for i in order]
        acc, self.tag_cum = 0.0, []
        for w in weights:
            acc += w
            self.tag_cum.append(acc)
        self.titles = set()
        self.start = datetime(2015, 1, 1)
        self.span_minutes = int((datetime(2025, 12, 31, 23, 59) - self.start).total_seconds() // 60)
        self.fr = self.prep(FR, " ?")
        self.en = self.prep(EN, "?")

    def pick(self, seq):
        return seq[int(self.rnd() * len(seq))]

    def fill(self, s):
        if "{" not in s:
            return s
        r = self.rng.randint
        return s.format(
            v=f"{r(1, 12)}.{r(0, 30)}",
            p=r(3, 80),
            n=r(2, 40),
            x=self.pick(PRODUCTS),
            y=self.pick(PRODUCTS),
        )

    def prep(self, L, question):
        """Copy a language table, pre-filling templated complements for speed."""
        L = dict(L)
        comp = []
        for c in L["comp"]:
            comp.extend(self.fill(c) for _ in range(20 if "{" in c else 1))
        L["comp"] = comp
        L["obj_slug"] = {o: slugify(o) for o in L["obj"]}
        L["question"] = question
        return L

    # -- prose

    def sentence(self, L, plain=False):
        rnd = self.rnd
        subj, obj = L["subj"], L["obj"]
        subj = subj[int(rnd() * len(subj))]
        verb = L["verb"]
        verb = verb[int(rnd() * len(verb))]
        o = obj[int(rnd() * len(obj))]
        r = rnd()
        if r < 0.8:
            comp = L["comp"]
            tail = " " + comp[int(r * 1.25 * len(comp))]
        else:
            tail = ""
        r = 1.0 if plain else rnd()
        if r < 0.06:
            s = f"{subj} {verb} *{o}*{tail}"
        elif r < 0.10:
            s = f"{subj} {verb} **{o}**{tail}"
        elif r < 0.14:
            s = f"{subj} (`{self.pick(CODE_WORDS)}`) {verb} {o}{tail}"
        elif r < 0.22:
            url = f"https://{self.pick(DOMAINS)}/{L['obj_slug'][o]}"
            s = f"{subj} {verb} {o}{tail} ([{self.pick(L['link'])}]({url}))"
        else:
            s = f"{subj} {verb} {o}{tail}"
        lead = L["lead"]
        lead = lead[int(rnd() * len(lead))]
        if lead:
            s = lead + s[0].lower() + s[1:]
        if rnd() < 0.05:
            return s + L["question"]
        return s + "."

    def paragraph(self, L, n_sent):
        return " ".join(self.sentence(L) for _ in range(n_sent))

    def items(self, L, k):
        out = []
        for s in self.rng.sample(L["item"], k):
            s = self.fill(s)
            if self.rnd() < 0.3:
                t = self.sentence(L)
                s += " — " + t[0].lower() + t[1:]
            out.append(s[0].upper() + s[1:])
        return out

    def code(self, lang):
        r = self.rng.randint
        w = self.rng.sample(CODE_WORDS, 3)
        n = r(2, 9)
        return "```" + lang + "\n" + CODE[lang].format(
            w1=w[0], w2=w[1], w3=w[2], n=n, n1=n + 1, p=r(1, 9), v=f"{r(0, 3)}.{r(0, 20)}.{r(0, 9)}"
        ) + "\n```"

    def youtube(self):
        vid = "".join(self.pick(YT_CHARS) for _ in range(11))
        r = self.rnd()
        if r < 0.7:
            return f"https://www.youtube.com/watch?v={vid}"
        if r < 0.85:
            return f"https://youtu.be/{vid}"
        return f"https://www.youtube.com/watch?v={vid}&t={self.rng.randint(10, 600)}s"

    # -- front matter

    def title(self, L):
        for attempt in range(50):
            t = self.pick(L["title"]).format(
                x=self.pick(PRODUCTS),
                y=self.pick(PRODUCTS),
                v=f"{self.rng.randint(1, 30)}.{self.rng.randint(0, 12)}",
                n=self.rng.randint(3, 15),
                claim=self.pick(L["claim"]),
                tverb=self.pick(L["tverb"]),
                tobj=self.pick(L["tobj"]),
            )
            t = t[0].upper() + t[1:]
            key = slugify(t)
            if key not in self.titles:
                self.titles.add(key)
                return t
        # Practically unreachable; keep titles (and slugs) unique anyway.
        n = 2
        while f"{key}-{n}" in self.titles:
            n += 1
        self.titles.add(f"{key}-{n}")
        return f"{t} ({n})"

    def date(self):
        d = self.start + timedelta(minutes=int(self.rnd() * self.span_minutes))
        r = self.rnd()
        if r < 0.33:
            return d, d.strftime("%Y-%m-%d")
        if r < 0.66:
            return d, '"' + d.strftime("%Y-%m-%d %H:%M") + '"'
        off = self.pick(["+01:00", "+02:00", "Z", "+00:00", "-05:00"])
        fmt = "%Y-%m-%dT%H:%M:%S" if self.rnd() < 0.7 else "%Y-%m-%dT%H:%M:%S.123"
        return d, d.strftime(fmt) + off

    def pick_tags(self):
        want = self.rng.randint(2, 5)
        out, keys = [], set()
        while len(out) < want:
            for t in self.rng.choices(self.tags, cum_weights=self.tag_cum, k=want * 2):
                k = slugify(t)
                if k not in keys:
                    keys.add(k)
                    out.append(t)
                    if len(out) == want:
                        break
        return out

    # -- article

    def article(self, i):
        rng, pick = self.rng, self.pick
        L = self.fr if self.rnd() < 0.75 else self.en
        title = self.title(L)
        date, date_str = self.date()

        fm = ["---", f"title: {yq(title)}", f"date: {date_str}"]
        if self.rnd() < 0.1:
            upd = date + timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 1440))
            fm.append("updated: " + upd.strftime("%Y-%m-%dT%H:%M:%S+01:00"))
        r = self.rnd()
        if r < 0.2:
            fm.append(f"author: {yq(pick(AUTHORS))}")
        elif r < 0.85:
            fm.append(f"authors: [{yq(pick(AUTHORS))}]")
        else:
            fm.append("authors:")
            for a in rng.sample(AUTHORS, rng.randint(2, 3)):
                fm.append(f"  - {yq(a)}")
        fm.append("tags:")
        for t in self.pick_tags():
            fm.append(f"  - {yq(t)}")
        fm.append(f"category: {yq(pick(CATEGORIES))}")
        fm.append(f"description: {yq(self.sentence(L, plain=True))}")
        fm.append("---")

        target = rng.randint(600, 1050)
        body = []
        words = 0

        def para(n_min=2, n_max=6):
            nonlocal words
            p = self.paragraph(L, rng.randint(n_min, n_max))
            words += p.count(" ") + 1
            body.append(p)

        para(3, 5)
        para(2, 4)
        if i % 4 == 1:
            body.append("<!-- more -->")
        youtube_at = rng.randint(0, 2) if i % 3 == 0 else -1
        code_at = rng.randint(0, 2) if i % 2 == 0 else -1
        code_lang = CODE_LANGS[(i // 2) % len(CODE_LANGS)]
        bullets_at = rng.randint(0, 2)
        numbers_at = rng.randint(1, 2)
        h2s = rng.sample(L["h2"], len(L["h2"]))
        h3s = rng.sample(L["h3"], len(L["h3"]))
        section = 0
        while words < target or section < 3:
            h = self.fill(h2s[section % len(h2s)])
            body.append(f"## {h}")
            words += h.count(" ") + 1
            para()
            if section == youtube_at:
                body.append(self.youtube())
            if section == bullets_at:
                items = self.items(L, rng.randint(3, 6))
                words += sum(s.count(" ") + 1 for s in items)
                body.append("\n".join(f"- {s}" for s in items))
            if section == numbers_at:
                items = self.items(L, rng.randint(3, 5))
                words += sum(s.count(" ") + 1 for s in items)
                body.append("\n".join(f"{k}. {s}" for k, s in enumerate(items, 1)))
            if section == code_at:
                body.append(self.code(code_lang))
                para(1, 3)
            if self.rnd() < 0.4 and words < target:
                h = self.fill(h3s[section % len(h3s)])
                body.append(f"### {h}")
                words += h.count(" ") + 1
                para()
            if words < target:
                para()
            section += 1

        text = "\n".join(fm) + "\n\n" + "\n\n".join(body) + "\n"
        return date.year, slugify(title), text, words


def main():
    ap = argparse.ArgumentParser(description="Generate a synthetic Kiosque benchmark site.")
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("outdir", help="output site directory")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    args = ap.parse_args()
    if args.n < 0:
        ap.error("N must be >= 0")

    t0 = time.perf_counter()
    out = os.path.abspath(args.outdir)
    content = os.path.join(out, "content")
    if os.path.isdir(content):
        shutil.rmtree(content)
    os.makedirs(content, exist_ok=True)

    with open(os.path.join(out, "site.toml"), "w", encoding="utf-8") as f:
        f.write(
            f"title = {tq('Kiosque Bench')}\n"
            f"base_url = {tq('https://bench.example/')}\n"
            f"language = {tq('fr')}\n"
            f"timezone = {tq('Europe/Paris')}\n"
            f"paginate_by = 10\n"
            f"author = {tq('Rédaction')}\n"
        )

    gen = Gen(args.seed)
    made_dirs = set()
    total_words = 0
    for i in range(args.n):
        year, slug, text, words = gen.article(i)
        total_words += words
        d = os.path.join(content, str(year))
        if year not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(year)
        with open(os.path.join(d, slug + ".md"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    dt = time.perf_counter() - t0
    print(
        f"gen_corpus: {args.n} articles, ~{total_words} words, seed {args.seed}, "
        f"{dt:.2f}s -> {out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
