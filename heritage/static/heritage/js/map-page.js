/* The site's heritage map (/ban-do/): markers from the GeoJSON API, clustered, filtered in the browser.
   Leaflet and Leaflet.markercluster are the project's own static copies. When tiles cannot load the
   map stays grey behind the markers; the filter form and the list under the map still work. */
(function () {
    "use strict";

    var container = document.querySelector("[data-site-map]");
    if (!container || !window.L) {
        return;
    }
    var form = document.querySelector("[data-map-filters]");
    var countLine = document.querySelector("[data-map-count]");
    var statusLine = document.querySelector("[data-map-status]");
    var center = (container.getAttribute("data-center") || "20.8449,106.6881").split(",").map(Number);

    function useMarkerIcons(element) {
        // Leaflet finds its marker pictures from leaflet.css by name; hashed static names defeat that.
        if (!element.getAttribute("data-marker-icon")) { return; }
        L.Icon.Default.imagePath = "";
        L.Icon.Default.mergeOptions({
            iconUrl: element.getAttribute("data-marker-icon"),
            iconRetinaUrl: element.getAttribute("data-marker-icon-2x"),
            shadowUrl: element.getAttribute("data-marker-shadow")
        });
    }

    useMarkerIcons(container);
    var map = L.map(container, { preferCanvas: true }).setView(center, 11);
    L.tileLayer(container.getAttribute("data-tile-url"), {
        attribution: container.getAttribute("data-tile-attribution"),
        maxZoom: 19
    }).addTo(map);
    var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 60 });
    map.addLayer(cluster);

    var entries = [];

    function text(tag, className, content) {
        var element = document.createElement(tag);
        if (className) {
            element.className = className;
        }
        if (content) {
            element.textContent = content;
        }
        return element;
    }

    function popupFor(properties) {
        return function () {
            var box = text("div", "map-popup");
            if (properties.thumbnail) {
                var image = text("img", "map-popup__image");
                image.src = properties.thumbnail;
                image.alt = "";
                image.width = 160;
                image.height = 120;
                image.loading = "lazy";
                box.appendChild(image);
            }
            var title = text("a", "map-popup__title", properties.title);
            title.href = properties.url || "#";
            box.appendChild(title);
            box.appendChild(text("p", "map-popup__kind", properties.type_label || ""));
            if (properties.rank_label) {
                box.appendChild(text("p", "map-popup__rank", container.getAttribute("data-rank-label") + ": " + properties.rank_label));
            }
            var link = text("a", "map-popup__link", container.getAttribute("data-open-label"));
            link.href = properties.url || "#";
            box.appendChild(link);
            return box;
        };
    }

    function chosen() {
        var values = {};
        if (form) {
            Array.prototype.forEach.call(form.querySelectorAll("[data-map-filter]"), function (select) {
                values[select.getAttribute("data-map-filter")] = select.value;
            });
        }
        return values;
    }

    function matches(values, kind, rank, relicTypes, commune) {
        if (values.kind && values.kind !== kind) { return false; }
        if (values.rank && values.rank !== rank) { return false; }
        if (values.relic_type && relicTypes.indexOf(values.relic_type) === -1) { return false; }
        if (values.commune && values.commune !== commune) { return false; }
        return true;
    }

    function showCount(count) {
        if (!countLine) { return; }
        var template = countLine.getAttribute(count === 1 ? "data-template-one" : "data-template-many");
        countLine.textContent = template.replace("__count__", String(count));
    }

    function apply() {
        var values = chosen();
        var shown = entries.filter(function (entry) {
            var p = entry.properties;
            return matches(values, p.type, p.rank || "", p.relic_types || [], p.commune || "");
        });
        cluster.clearLayers();
        cluster.addLayers(shown.map(function (entry) { return entry.marker; }));
        showCount(shown.length);
        container.setAttribute("data-visible-count", String(shown.length));
        // The list of entries without coordinates follows the same filter.
        Array.prototype.forEach.call(document.querySelectorAll(".unlocated__list > li"), function (item) {
            var relicTypes = (item.getAttribute("data-relic-types") || "").split(" ");
            item.hidden = !matches(values, item.getAttribute("data-kind"), item.getAttribute("data-rank"), relicTypes, item.getAttribute("data-commune"));
        });
        if (window.history && window.history.replaceState && form) {
            var query = new URLSearchParams();
            Object.keys(values).forEach(function (key) { if (values[key]) { query.set(key, values[key]); } });
            var search = query.toString();
            window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
        }
        return shown;
    }

    function load(collection) {
        entries = collection.features.filter(function (feature) {
            return feature.geometry && feature.geometry.type === "Point";
        }).map(function (feature) {
            var position = feature.geometry.coordinates;
            var marker = L.marker([position[1], position[0]], { title: feature.properties.title, alt: feature.properties.title });
            marker.bindPopup(popupFor(feature.properties), { minWidth: 180 });
            return { properties: feature.properties, marker: marker };
        });
        var shown = apply();
        if (shown.length) {
            map.fitBounds(L.latLngBounds(shown.map(function (entry) { return entry.marker.getLatLng(); })), { padding: [24, 24], maxZoom: 16 });
        }
        container.setAttribute("data-map-ready", "true");
    }

    if (form) {
        form.addEventListener("change", apply);
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            apply();
        });
    }

    fetch(container.getAttribute("data-geojson-url"), { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
            if (!response.ok) { throw new Error(String(response.status)); }
            return response.json();
        })
        .then(load)
        .catch(function () {
            if (statusLine) { statusLine.textContent = container.getAttribute("data-error-message"); }
            container.setAttribute("data-map-ready", "error");
        });

    window.heritageMap = { map: map, cluster: cluster, apply: apply };
})();
