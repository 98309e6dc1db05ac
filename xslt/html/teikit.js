/* teikit: the register's filter box.  Progressive enhancement: without
   JavaScript the page shows every entry; with it, a search box hides the
   entries (li.tk-entry) whose text does not contain what is typed.
   No inline script, nothing from the network. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-tk-filter]").forEach(function (box) {
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.setAttribute("aria-label", box.getAttribute("data-tk-filter"));
    input.placeholder = box.getAttribute("data-tk-filter");
    label.appendChild(input);
    box.appendChild(label);
    var entries = Array.prototype.slice.call(document.querySelectorAll("li.tk-entry"));
    var texts = entries.map(function (li) { return li.textContent.toLowerCase(); });
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      entries.forEach(function (li, i) { li.hidden = q !== "" && texts[i].indexOf(q) < 0; });
    });
  });
});
