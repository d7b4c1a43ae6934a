/* An entry's small map, loaded only on demand: when the visitor taps "Show the map" or scrolls the
   map into view. Until then the page has no Leaflet at all (light first paint on a phone). */
(function () {
    "use strict";

    var box = document.querySelector("[data-entry-map]");
    if (!box) {
        return;
    }
    var started = false;

    function addCss(href) {
        if (document.querySelector('link[href="' + href + '"]')) { return; }
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        document.head.appendChild(link);
    }

    function addScript(src, done) {
        if (window.L) { done(); return; }
        var script = document.createElement("script");
        script.src = src;
        script.onload = done;
        document.head.appendChild(script);
    }

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

    function draw() {
        var lat = Number(box.getAttribute("data-lat"));
        var lon = Number(box.getAttribute("data-lon"));
        var button = box.querySelector("[data-entry-map-show]");
        if (button) { button.remove(); }
        box.classList.add("entry-map--open");
        useMarkerIcons(box);
        var map = L.map(box, { scrollWheelZoom: false }).setView([lat, lon], 16);
        L.tileLayer(box.getAttribute("data-tile-url"), {
            attribution: box.getAttribute("data-tile-attribution"),
            maxZoom: 19
        }).addTo(map);
        L.marker([lat, lon], { title: box.getAttribute("data-title") }).addTo(map);
        fetch(box.getAttribute("data-geojson-url"))
            .then(function (response) { return response.ok ? response.json() : { features: [] }; })
            .then(function (collection) {
                var zones = collection.features.filter(function (feature) {
                    return feature.properties && feature.properties.kind === "protection_zone";
                });
                if (!zones.length) { return; }
                var layer = L.geoJSON(zones, {
                    style: function (feature) {
                        return feature.properties.zone === "I"
                            ? { color: "#8a1c1c", weight: 2, fillOpacity: 0.25 }
                            : { color: "#c77d1a", weight: 2, fillOpacity: 0.12, dashArray: "4" };
                    },
                    onEachFeature: function (feature, zoneLayer) {
                        zoneLayer.bindTooltip(feature.properties.label);
                    }
                }).addTo(map);
                map.fitBounds(layer.getBounds().extend([lat, lon]), { padding: [12, 12] });
            })
            .catch(function () {});
        box.setAttribute("data-map-ready", "true");
    }

    function start() {
        if (started) { return; }
        started = true;
        addCss(box.getAttribute("data-leaflet-css"));
        addCss(box.getAttribute("data-map-css"));
        addScript(box.getAttribute("data-leaflet-js"), draw);
    }

    var button = box.querySelector("[data-entry-map-show]");
    if (button) { button.addEventListener("click", start); }
    if ("IntersectionObserver" in window) {
        var observer = new IntersectionObserver(function (records) {
            if (records.some(function (record) { return record.isIntersecting; })) {
                observer.disconnect();
                start();
            }
        }, { rootMargin: "0px" });
        observer.observe(box);
    }
})();
