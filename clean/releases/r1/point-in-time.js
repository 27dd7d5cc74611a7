// policyhub point in time: the date form of a policy's /at/ page. The page lists the policy's
// periods, each <li> with data-from and data-until (ISO days, data-until empty for the last)
// and data-url (the version in force); a date is looked up among them as `policyhub diff
// ORG/POLICY DATE` looks it up (src/content/in_force.rs): the period from whose first day to
// whose last the date falls. On submit the browser opens that version; before the first
// version, it says that none was in force. A ?date= in the address is answered, not followed.
(() => {
  "use strict";
  const form = document.getElementById("at-form");
  const input = document.getElementById("at-date");
  const answer = document.getElementById("at-answer");
  if (!form || !input || !answer) return;
  const periods = [...document.querySelectorAll(".periods li[data-until]")];
  const DAY = /^\d{4}-\d{2}-\d{2}$/;
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  // "1 June 2020", as the terminal writes a date.
  const long = (day) => `${Number(day.slice(8))} ${MONTHS[Number(day.slice(5, 7)) - 1]} ${Number(day.slice(0, 4))}`;

  function lookup(day) {
    return periods.find((li) => li.dataset.from <= day && (li.dataset.until === "" || day <= li.dataset.until));
  }

  // Says which version was in force on `day`; opens it when `follow` is true.
  function answerFor(day, follow) {
    for (const li of periods) li.classList.remove("period-match");
    answer.replaceChildren();
    const period = lookup(day);
    if (!period) return;
    period.classList.add("period-match");
    const said = period.querySelector(".period-text").textContent;
    answer.append(`On ${long(day)}, ${period.dataset.url ? "in force " : ""}${said}.`);
    if (!period.dataset.url) return;
    if (follow) {
      window.location.assign(period.dataset.url);
      return;
    }
    const link = document.createElement("a");
    link.href = period.dataset.url;
    link.textContent = "Read it";
    answer.append(" ", link);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (DAY.test(input.value)) answerFor(input.value, true);
    else answer.textContent = "Give a date: year, month and day.";
  });
  const asked = new URLSearchParams(window.location.search).get("date");
  if (asked && DAY.test(asked)) {
    input.value = asked;
    answerFor(asked, false);
  }
})();
