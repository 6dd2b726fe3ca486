// "Copy" buttons beside the credit lines of an attribution block (licensing/includes/attribution.html).
// The buttons stay hidden without JavaScript: the read-only fields can still be selected and copied.
(function () {
  "use strict";

  function copy(field, button) {
    var done = function () {
      button.textContent = button.dataset.copiedLabel;
      window.setTimeout(function () {
        button.textContent = button.dataset.label;
      }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        field.select();
      });
      return;
    }
    field.select();
    if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  }

  function init() {
    document.querySelectorAll("button.copy-credit").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("aria-controls"));
      if (!field) {
        return;
      }
      button.dataset.label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(field, button);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
