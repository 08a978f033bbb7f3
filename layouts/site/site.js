// site.js: the catalogue's search and filters. Without it the full list shows; with
// it, typing or choosing a format or language hides what does not match and the count
// (a live region) tells screen readers how many are shown.
(function () {
  "use strict";
  var form = document.getElementById("folio-filters");
  var list = document.getElementById("folio-list");
  if (!form || !list) return;
  var q = document.getElementById("folio-q");
  var format = document.getElementById("folio-format");
  var lang = document.getElementById("folio-lang");
  var count = document.getElementById("folio-count");
  var none = document.getElementById("folio-none");
  var items = Array.prototype.map.call(list.children, function (li) {
    var text = li.querySelector("h2").textContent + " " +
      (li.querySelector(".s") ? li.querySelector(".s").textContent : "") + " " +
      li.querySelector(".m").textContent.split(",")[0];
    var lang = li.querySelector("h2").getAttribute("lang") || document.documentElement.lang;
    return { li: li, text: text.toLowerCase(), formats: li.getAttribute("data-f") || "", lang: lang.split("-")[0].toLowerCase() };
  });
  var timer = null;
  function apply() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var ok = words.every(function (w) { return item.text.indexOf(w) !== -1; }) &&
        (!format.value || item.formats.indexOf(format.value) !== -1) &&
        (!lang.value || item.lang === lang.value);
      item.li.hidden = !ok;
      if (ok) shown++;
    });
    none.hidden = shown !== 0;
    count.textContent = shown === items.length
      ? items.length + (items.length === 1 ? " publication" : " publications")
      : shown + " of " + items.length + " publications shown";
  }
  function later() { clearTimeout(timer); timer = setTimeout(apply, 150); }
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  q.addEventListener("input", later);
  format.addEventListener("change", apply);
  lang.addEventListener("change", apply);
  form.hidden = false;
})();
