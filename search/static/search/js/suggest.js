/* Progressive enhancement only: the search box works without this file.
   Lists the entries whose names begin with what the visitor types, from /api/search/suggest/,
   as links under the box. Arrow keys move through them, Escape closes the list. */
(function () {
    "use strict";

    var DELAY = 150;
    var MIN_LENGTH = 2;

    function enhance(input, index) {
        var list = document.createElement("ul");
        var timer = null;
        var latest = 0;

        list.id = "suggest-" + index;
        list.className = "suggest";
        list.hidden = true;
        input.parentNode.appendChild(list);
        // A search box that controls a popup list is a combobox; aria-expanded is allowed only there.
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-controls", list.id);
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");

        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
        }

        function links() {
            return list.querySelectorAll("a");
        }

        function show(suggestions) {
            list.textContent = "";
            suggestions.forEach(function (suggestion) {
                var item = document.createElement("li");
                var link = document.createElement("a");
                link.href = suggestion.url;
                link.textContent = suggestion.title;
                item.appendChild(link);
                list.appendChild(item);
            });
            list.hidden = suggestions.length === 0;
            input.setAttribute("aria-expanded", String(!list.hidden));
        }

        function fetchSuggestions() {
            var query = input.value.trim();
            var request = ++latest;
            if (query.length < MIN_LENGTH) {
                close();
                return;
            }
            var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(query);
            var scope = input.form && input.form.querySelector("input[name=scope]:checked");
            if (scope && scope.value) {
                url += "&scope=" + encodeURIComponent(scope.value);
            }
            fetch(url, { headers: { Accept: "application/json" } })
                .then(function (response) {
                    return response.ok ? response.json() : { suggestions: [] };
                })
                .then(function (data) {
                    if (request === latest) {
                        show(data.suggestions || []);
                    }
                })
                .catch(close);
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(fetchSuggestions, DELAY);
        });

        input.addEventListener("keydown", function (event) {
            if (event.key === "ArrowDown" && !list.hidden && links().length) {
                event.preventDefault();
                links()[0].focus();
            } else if (event.key === "Escape") {
                close();
            }
        });

        list.addEventListener("keydown", function (event) {
            var items = Array.prototype.slice.call(links());
            var position = items.indexOf(document.activeElement);
            if (event.key === "ArrowDown" && position < items.length - 1) {
                event.preventDefault();
                items[position + 1].focus();
            } else if (event.key === "ArrowUp") {
                event.preventDefault();
                (position > 0 ? items[position - 1] : input).focus();
            } else if (event.key === "Escape") {
                close();
                input.focus();
            }
        });

        document.addEventListener("click", function (event) {
            if (event.target !== input && !list.contains(event.target)) {
                close();
            }
        });
    }

    if (window.fetch) {
        Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), enhance);
    }
})();
