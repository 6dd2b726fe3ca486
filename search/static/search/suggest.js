// Suggestions under the search boxes, as the reader types. Without this file the boxes are
// plain forms that submit to the search page.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest-url]");
  Array.prototype.forEach.call(inputs, function (input, index) {
    var list = document.createElement("ul");
    list.className = "search-suggestions";
    list.id = "search-suggestions-" + index;
    list.setAttribute("aria-live", "polite");
    list.hidden = true;
    input.setAttribute("aria-describedby", list.id);
    input.form.appendChild(list);
    var timer = null;
    var last = "";
    function clear() {
      list.textContent = "";
      list.hidden = true;
    }
    function show(suggestions) {
      list.textContent = "";
      suggestions.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url || "#";
        a.textContent = item.title;
        var kind = document.createElement("span");
        kind.className = "meta";
        kind.textContent = " · " + item.kind;
        li.appendChild(a);
        li.appendChild(kind);
        list.appendChild(li);
      });
      list.hidden = suggestions.length === 0;
    }
    input.addEventListener("input", function () {
      var value = input.value.trim();
      window.clearTimeout(timer);
      if (value.length < 2) { clear(); return; }
      timer = window.setTimeout(function () {
        if (value === last) { return; }
        last = value;
        var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(value);
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) { if (input.value.trim() === value) { show(data.suggestions || []); } })
          .catch(clear);
      }, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { clear(); }
    });
  });
})();
