// Progressive enhancement only: every page works without this file.
import { initAll } from "../build/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Live panels (htmx polling): send the tag of what the panel shows, so the server can
// answer 304 Not Modified when nothing changed; announce a change to screen readers.
document.body.addEventListener("htmx:configRequest", (event) => {
  const current = event.detail.elt.querySelector("[data-etag]");
  if (current) {
    event.detail.headers["If-None-Match"] = `"${current.dataset.etag}"`;
  }
});
document.body.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const announcer = document.getElementById(`${target.id}-announcer`);
  const status = target.querySelector("[data-status-text]");
  if (announcer && status) {
    announcer.textContent = status.dataset.statusText;
  }
});
