/*
 * A search box over a checkbox list ([data-checklist], core.widgets.SearchableCheckboxes): typing narrows the
 * list to the rows whose label holds every word typed, in any order, with or without Vietnamese diacritics
 * ("tuan th" finds "Lê Anh Tuấn · Phòng Tổng hợp"). Checked rows stay checked while hidden; the count says
 * how many are chosen. Enter in the box does not submit the form.
 */
(function () {
  "use strict";

  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase();
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, name) {
      return values[name];
    });
  }

  function setUp(box) {
    if (box.dataset.checklistReady) {
      return;
    }
    box.dataset.checklistReady = "true";
    var search = box.querySelector("[data-checklist-search]");
    var count = box.querySelector("[data-checklist-count]");
    var empty = box.querySelector("[data-checklist-empty]");
    var items = Array.prototype.slice.call(box.querySelectorAll("[data-checklist-item]"));
    var labels = items.map(function (item) {
      return fold(item.textContent);
    });

    function refresh() {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item, index) {
        var match = words.every(function (word) {
          return labels[index].indexOf(word) !== -1;
        });
        item.hidden = !match;
        shown += match ? 1 : 0;
      });
      empty.hidden = shown > 0;
      var chosen = box.querySelectorAll("input[type=checkbox]:checked").length;
      var text = fill(count.dataset.templateChosen, { chosen: chosen });
      if (words.length) {
        text += " · " + fill(count.dataset.templateShown, { shown: shown, total: items.length });
      }
      count.textContent = text;
    }

    search.hidden = false;
    count.hidden = false;
    search.addEventListener("input", refresh);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
      if (event.key === "Escape" && search.value) {
        search.value = "";
        refresh();
      }
    });
    box.addEventListener("change", refresh);
    refresh();
  }

  document.querySelectorAll("[data-checklist]").forEach(setUp);
})();
