/*
 * "I have read and understood" becomes available once every material of the campaign has been opened,
 * also when a material was opened in another tab and the person comes back to this one.
 *
 * Materials are links marked data-material (data-opened="true" when the server already recorded the
 * opening). A click marks a material as opened here; a long press "open in new tab" fires no click, so
 * when the page becomes visible again the page is fetched once more and the server's record is read.
 * Without this script the button stays enabled and the server refuses an early confirmation with a message.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-acknowledge]");
  if (!form) {
    return;
  }
  var button = form.querySelector("button[type=submit]");
  var hint = form.querySelector("[data-acknowledge-hint]");
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-material]"));
  var opened = {};

  links.forEach(function (link) {
    if (link.dataset.opened === "true") {
      opened[link.dataset.material] = true;
    }
  });

  function allOpened() {
    return links.every(function (link) {
      return opened[link.dataset.material];
    });
  }

  function showOpened(link) {
    if (link.parentNode.querySelector("[data-testid=opened]")) {
      return;
    }
    var badge = document.createElement("span");
    badge.className = "badge text-bg-light ms-1";
    badge.dataset.testid = "opened";
    badge.textContent = form.dataset.openedLabel || "";
    link.insertAdjacentElement("afterend", badge);
  }

  function update() {
    links.forEach(function (link) {
      if (opened[link.dataset.material]) {
        showOpened(link);
      }
    });
    var ready = allOpened();
    button.disabled = !ready;
    if (hint) {
      hint.classList.toggle("d-none", ready);
    }
  }

  function markOpened(event) {
    opened[event.currentTarget.dataset.material] = true;
    update();
  }

  function askServer() {
    if (allOpened() || !window.fetch || !window.DOMParser) {
      return;
    }
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        page.querySelectorAll("a[data-material][data-opened=true]").forEach(function (link) {
          opened[link.dataset.material] = true;
        });
        update();
      })
      .catch(function () {
        /* offline: the next visit shows the right state */
      });
  }

  function returned() {
    if (document.visibilityState === "visible") {
      update();
      askServer();
    }
  }

  links.forEach(function (link) {
    link.addEventListener("click", markOpened);
    link.addEventListener("auxclick", markOpened); // middle click: opens a tab too
  });
  document.addEventListener("visibilitychange", returned);
  window.addEventListener("focus", returned);
  window.addEventListener("pageshow", update); // back from the material in the same tab (bfcache)
  update();
})();
