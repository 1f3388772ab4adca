// "Copy" buttons (e.g. the reference on a study page): one click puts the text of the element named by
// data-em-copy on the clipboard. Material adds its own copy button to code blocks such as the BibTeX.
(function () {
  "use strict";
  function setup() {
    document.querySelectorAll("[data-em-copy]").forEach(function (button) {
      if (button.dataset.emReady) return;
      button.dataset.emReady = "1";
      var label = button.textContent;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.emCopy);
        if (!source || !navigator.clipboard) return;
        var text = source.textContent.replace(/\s+/g, " ").trim();
        navigator.clipboard.writeText(text).then(function () {
          button.textContent = "Copied";
          window.setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
