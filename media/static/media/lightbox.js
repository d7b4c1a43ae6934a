/* Gallery lightbox: opens a gallery link in a modal dialog. Keyboard: Tab stays inside, Escape closes,
   ← and → page through; a swipe does the same on phones. Focus returns to the link that opened it.
   Without JavaScript the links simply open the large pictures. */
(function () {
    "use strict";
    if (window.heritageLightbox) {
        return;
    }
    window.heritageLightbox = true;

    var dialog;
    var links = [];
    var index = 0;
    var opener = null;
    var texts = {
        vi: { close: "Đóng", previous: "Ảnh trước", next: "Ảnh sau", label: "Ảnh phóng to", of: "/" },
        en: { close: "Close", previous: "Previous image", next: "Next image", label: "Enlarged image", of: "/" }
    };
    var t = texts[(document.documentElement.lang || "vi").slice(0, 2)] || texts.en;

    function button(className, label, symbol) {
        var element = document.createElement("button");
        element.type = "button";
        element.className = "lightbox__button " + className;
        element.setAttribute("aria-label", label);
        element.textContent = symbol;
        return element;
    }

    function build() {
        dialog = document.createElement("dialog");
        dialog.className = "lightbox";
        dialog.setAttribute("aria-label", t.label);
        dialog.innerHTML =
            '<figure class="lightbox__figure"><picture><source type="image/webp"><img class="lightbox__image" alt=""></picture>' +
            '<figcaption class="lightbox__caption"></figcaption><p class="lightbox__count" aria-live="polite"></p></figure>';
        var close = button("lightbox__close", t.close, "×");
        var previous = button("lightbox__previous", t.previous, "‹");
        var next = button("lightbox__next", t.next, "›");
        dialog.append(close, previous, next);
        close.addEventListener("click", hide);
        previous.addEventListener("click", function () { show(index - 1); });
        next.addEventListener("click", function () { show(index + 1); });
        dialog.addEventListener("keydown", onKey);
        dialog.addEventListener("cancel", function (event) {
            event.preventDefault();
            hide();
        });
        dialog.addEventListener("click", function (event) {
            if (event.target === dialog) {
                hide();
            }
        });
        var startX = null;
        dialog.addEventListener("touchstart", function (event) {
            startX = event.touches.length === 1 ? event.touches[0].clientX : null;
        }, { passive: true });
        dialog.addEventListener("touchend", function (event) {
            if (startX === null) {
                return;
            }
            var dx = event.changedTouches[0].clientX - startX;
            startX = null;
            if (Math.abs(dx) > 40) {
                show(dx < 0 ? index + 1 : index - 1);
            }
        });
        document.body.appendChild(dialog);
    }

    function focusable() {
        return Array.prototype.filter.call(dialog.querySelectorAll("button"), function (element) {
            return !element.hidden && !element.disabled;
        });
    }

    function onKey(event) {
        if (event.key === "Escape") {
            event.preventDefault();
            hide();
        } else if (event.key === "ArrowRight") {
            event.preventDefault();
            show(index + 1);
        } else if (event.key === "ArrowLeft") {
            event.preventDefault();
            show(index - 1);
        } else if (event.key === "Tab") {
            // Keep focus inside the dialog, also where the browser would let it reach its own toolbar.
            var items = focusable();
            var position = items.indexOf(document.activeElement);
            event.preventDefault();
            var step = event.shiftKey ? -1 : 1;
            items[(position + step + items.length) % items.length].focus();
        }
    }

    function show(position) {
        index = (position + links.length) % links.length;
        var link = links[index];
        var image = dialog.querySelector(".lightbox__image");
        var source = dialog.querySelector("source");
        var caption = link.getAttribute("data-lightbox-caption") || "";
        source.srcset = link.getAttribute("data-lightbox-webp") || link.href;
        image.src = link.href;
        image.width = Number(link.getAttribute("data-lightbox-width")) || 0;
        image.height = Number(link.getAttribute("data-lightbox-height")) || 0;
        var thumbnail = link.querySelector("img");
        image.alt = thumbnail ? thumbnail.alt : caption;
        dialog.querySelector(".lightbox__caption").textContent = caption;
        dialog.querySelector(".lightbox__count").textContent = links.length > 1 ? (index + 1) + " " + t.of + " " + links.length : "";
        dialog.querySelector(".lightbox__previous").hidden = links.length < 2;
        dialog.querySelector(".lightbox__next").hidden = links.length < 2;
    }

    function open(gallery, link) {
        if (!dialog) {
            build();
        }
        links = Array.prototype.slice.call(gallery.querySelectorAll("a.gallery__link"));
        opener = link;
        show(links.indexOf(link));
        dialog.showModal();
        dialog.querySelector(".lightbox__close").focus();
    }

    function hide() {
        if (dialog && dialog.open) {
            dialog.close();
        }
        if (opener) {
            opener.focus();
            opener = null;
        }
    }

    document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("[data-gallery] a.gallery__link");
        if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0 || typeof HTMLDialogElement !== "function") {
            return;
        }
        event.preventDefault();
        open(link.closest("[data-gallery]"), link);
    });
})();
