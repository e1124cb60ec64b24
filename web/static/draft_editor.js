// The draft editor's due dates, read again while a task's time is typed: the server reads the
// expression with the plan's calendar (GET /plans/import/draft/due) and says the due dates and
// the rule used. Without this script the "Tính lại" button does the same.
"use strict";

(function () {
  const form = document.querySelector("form.draft-editor");
  if (!form) {
    return;
  }
  const token = form.querySelector("input[name=token]").value;
  const waiting = new Map();

  async function show(field) {
    const output = document.getElementById(field.dataset.due);
    const typed = field.value;
    const query = new URLSearchParams({ token: token, period: typed });
    const answer = await fetch("/plans/import/draft/due?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!answer.ok || field.value !== typed) {
      return; // a later keystroke asks again
    }
    const due = await answer.json();
    output.textContent = due.text;
    output.classList.toggle("late", due.error);
  }

  form.addEventListener("input", function (event) {
    const field = event.target;
    if (!field.matches("input[data-due]")) {
      return;
    }
    clearTimeout(waiting.get(field));
    waiting.set(field, setTimeout(function () { show(field); }, 250));
  });
})();
