/* Progressive enhancement only: every page works without this file.
   Shows the "Share" button where the phone can share (Zalo, Messenger...) or copy the address. */
(function () {
    "use strict";

    function enhance(button) {
        var status = button.parentNode.querySelector("[data-share-status]");
        var url = button.getAttribute("data-share-url") || window.location.href.split("#")[0];
        var title = button.getAttribute("data-share-title") || document.title;

        if (navigator.share) {
            button.hidden = false;
            button.addEventListener("click", function () {
                navigator.share({ title: title, url: url }).catch(function () {});
            });
        } else if (navigator.clipboard && window.isSecureContext) {
            button.textContent = button.getAttribute("data-copy-label");
            button.hidden = false;
            button.addEventListener("click", function () {
                navigator.clipboard.writeText(url).then(function () {
                    if (status) {
                        status.textContent = button.getAttribute("data-copied-label");
                    }
                });
            });
        }
    }

    Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), enhance);
})();

/* "Cite this page": a copy button beside each citation where the browser can copy; without
   JavaScript the buttons stay hidden and the citations are plain text to select. */
(function () {
    "use strict";
    if (!(navigator.clipboard && window.isSecureContext)) {
        return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-cite-copy]"), function (button) {
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
