// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

// "Print your answers" buttons are hidden until this runs, since printing needs JavaScript;
// without it the page says to use the browser's print option.
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
