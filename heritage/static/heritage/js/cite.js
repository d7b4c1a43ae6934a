/* "Cite this page": shows a copy button beside each citation where the browser can copy.
   Without JavaScript the citations are plain text to select. */
(function () {
    "use strict";
    if (!(navigator.clipboard && window.isSecureContext)) {
        return;
    }
    document.querySelectorAll("[data-cite-copy]").forEach(function (button) {
        var target = document.getElementById(button.getAttribute("data-cite-copy"));
        if (!target) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator.clipboard.writeText(target.textContent.trim()).then(function () {
                var label = button.textContent;
                button.textContent = button.getAttribute("data-copied-label");
                window.setTimeout(function () { button.textContent = label; }, 2000);
            });
        });
    });
})();
