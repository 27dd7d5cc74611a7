// The change-class filter as a toggle. Without JavaScript its links (#every-change,
// #hide-formatting, #substantive-only) filter through the stylesheet's :target rules; with it,
// the links also say which one is on (aria-current), and the choice is remembered
// (localStorage) and applied to every timeline and redline opened next (as
// `<html data-class-filter>`, which the stylesheet reads too). A filter named in the address
// wins over the remembered one.
(() => {
  const nav = document.querySelector("nav.class-filter");
  if (!nav) return;
  const key = "policyhub-class-filter";
  const choices = ["every-change", "hide-formatting", "substantive-only"];
  const set = (choice, remember) => {
    document.documentElement.dataset.classFilter = choice;
    for (const link of nav.querySelectorAll("a")) {
      if (link.getAttribute("href") === `#${choice}`) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    if (remember) {
      try {
        localStorage.setItem(key, choice);
      } catch {
        // Storage refused (private mode): the filter still applies to this page.
      }
    }
  };
  const named = location.hash.slice(1);
  let stored = null;
  try {
    stored = localStorage.getItem(key);
  } catch {
    stored = null;
  }
  if (choices.includes(named)) set(named, true);
  else set(choices.includes(stored) ? stored : "every-change", false);
  window.addEventListener("hashchange", () => {
    const choice = location.hash.slice(1);
    if (choices.includes(choice)) set(choice, true);
  });
})();
