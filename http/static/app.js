// Hark's site script: the search boxes' typeahead, pages that swap without reloading (so the
// dock's audio, player.js, plays on while the user browses), and the "copy embed code" buttons.
// Without it, search boxes are plain forms and links plain links.

// Typeahead: suggestions in a <datalist>; picking a show opens its page.
function typeahead(input, i) {
  const list = document.createElement("datalist");
  list.id = "suggestions-" + i;
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  input.after(list);
  let timer = null, asked = "", shows = {};
  input.addEventListener("input", () => {
    if (Object.hasOwn(shows, input.value)) {
      navigate(shows[input.value], true); // a show picked from the list
      return;
    }
    const q = input.value.trim();
    clearTimeout(timer);
    if (q.length < 2 || q === asked) return;
    timer = setTimeout(async () => {
      asked = q;
      try {
        const r = await fetch("/suggest?q=" + encodeURIComponent(q));
        const s = r.ok ? await r.json() : null;
        if (!s || input.value.trim() !== q) return; // the user typed on
        list.textContent = "";
        shows = {};
        for (const t of s.terms) list.append(new Option("", t));
        for (const p of s.podcasts) {
          const o = new Option("Podcast", p.title);
          shows[p.title] = p.url;
          list.append(o);
        }
      } catch (e) {
        // no suggestions; the form still searches
      }
    }, 120);
  });
}

function startTypeahead(root) {
  root.querySelectorAll('form.search-box input[name="q"]:not([list])').forEach(typeahead);
}

// swappable says whether a URL's page can replace <main> in place: same origin, a page (not a
// file, the API, the embed or an operator view).
function swappable(url) {
  if (url.origin !== location.origin) return false;
  return !/^\/(static|api|embed|riverui|metrics|oembed|artwork)(\/|$)/.test(url.pathname);
}

// navigate fetches url and swaps its <main> and title in, falling back to a normal page load.
async function navigate(href, push) {
  const url = new URL(href, location.href);
  if (!swappable(url)) {
    location.href = url.href;
    return;
  }
  try {
    const r = await fetch(url.href, { headers: { Accept: "text/html" } });
    const type = r.headers.get("Content-Type") || "";
    if (!type.startsWith("text/html")) throw new Error("not a page");
    const doc = new DOMParser().parseFromString(await r.text(), "text/html");
    const main = doc.querySelector("main");
    if (!main) throw new Error("no main");
    document.querySelector("main").replaceWith(main);
    document.title = doc.title;
    const q = doc.querySelector('.site-header input[name="q"]');
    const box = document.querySelector('.site-header input[name="q"]');
    if (q && box) box.value = q.value;
    if (push) history.pushState({}, "", r.url || url.href);
    if (url.hash) document.getElementById(url.hash.slice(1))?.scrollIntoView();
    else window.scrollTo(0, 0);
    startTypeahead(main);
    document.dispatchEvent(new CustomEvent("hark:swapped"));
    main.querySelector("h1")?.setAttribute("tabindex", "-1");
    main.querySelector("h1")?.focus({ preventScroll: true }); // screen readers hear the new page
  } catch (e) {
    location.href = url.href;
  }
}

document.addEventListener("click", (ev) => {
  const a = ev.target.closest("a[href]");
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  if (a.target || a.hasAttribute("download") || a.dataset.t !== undefined) return;
  const url = new URL(a.href, location.href);
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  if (!swappable(url)) return;
  ev.preventDefault();
  navigate(url.href, true);
});

document.addEventListener("submit", (ev) => {
  const form = ev.target;
  if (ev.defaultPrevented || (form.method || "get").toLowerCase() !== "get") return;
  const url = new URL(form.action, location.href);
  if (!swappable(url)) return;
  ev.preventDefault();
  url.search = new URLSearchParams(new FormData(form)).toString();
  navigate(url.href, true);
});

window.addEventListener("popstate", () => navigate(location.href, false));

// Copy buttons copy the text of the element their data-copy names.
document.addEventListener("click", async (ev) => {
  const b = ev.target.closest("button[data-copy]");
  if (!b) return;
  const src = document.getElementById(b.dataset.copy);
  try {
    await navigator.clipboard.writeText(src.value || src.textContent);
    b.textContent = "Copied";
  } catch (e) {
    src.select?.(); // the user copies it by hand
  }
});

startTypeahead(document);
document.querySelectorAll("[data-js-only]").forEach((e) => { e.hidden = false; });
