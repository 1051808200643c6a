/* A "Print" button on a printable sheet ([data-print]): the CSP allows no inline handler. */
document.querySelectorAll("[data-print]").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () {
    window.print();
  });
});
