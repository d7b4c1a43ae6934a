/* Admin map helpers: set an entry's coordinates by clicking a map, pasting, geocoding its address or
   from the main image's GPS position; draw or upload a protection zone. Geocoding never blocks
   saving: a failure only shows a message, and the editor types the coordinates. */
(function () {
    "use strict";

    var DEFAULT_CENTER = [20.8449, 106.6881];
    var VIETNAM = { south: 6, north: 23.5, west: 102, east: 118 };

    function tiles(element, map) {
        L.tileLayer(element.getAttribute("data-tile-url"), {
            attribution: element.getAttribute("data-tile-attribution"),
            maxZoom: 19
        }).addTo(map);
    }

    function readDegrees(text) {
        var cleaned = String(text || "").trim().replace("\u2212", "-");
        if (cleaned.indexOf(",") !== -1 && cleaned.indexOf(".") === -1 && cleaned.split(",").length === 2) {
            cleaned = cleaned.replace(",", ".");
        }
        return /^[-+]?\d{1,3}(\.\d+)?$/.test(cleaned) ? Number(cleaned) : NaN;
    }

    function setupPicker(picker) {
        if (picker.getAttribute("data-ready")) { return; }
        picker.setAttribute("data-ready", "true");
        var latInput = document.getElementById(picker.getAttribute("data-latitude-input"));
        var lonInput = document.getElementById(picker.getAttribute("data-longitude-input"));
        var addressInput = document.getElementById(picker.getAttribute("data-address-input") || "-");
        var imageInput = document.getElementById(picker.getAttribute("data-image-input") || "-");
        var status = picker.querySelector("[data-geo-status]");
        var mapElement = picker.querySelector("[data-geo-map]");
        if (!latInput || !lonInput || !mapElement) { return; }

        var map = L.map(mapElement).setView(DEFAULT_CENTER, 10);
        tiles(picker, map);
        var marker = null;

        function say(message, isWarning) {
            status.textContent = message || "";
            status.classList.toggle("geo-picker__status--warning", Boolean(isWarning));
        }

        function current() {
            var lat = readDegrees(latInput.value);
            var lon = readDegrees(lonInput.value);
            return isNaN(lat) || isNaN(lon) ? null : [lat, lon];
        }

        function check(position) {
            if (!position) { return; }
            var inside = position[0] >= VIETNAM.south && position[0] <= VIETNAM.north &&
                position[1] >= VIETNAM.west && position[1] <= VIETNAM.east;
            if (!inside) { say(picker.getAttribute("data-outside-message"), true); }
        }

        function place(position, pan) {
            if (!marker) {
                marker = L.marker(position, { draggable: true }).addTo(map);
                marker.on("dragend", function () {
                    var point = marker.getLatLng();
                    set(point.lat, point.lng, false);
                });
            } else {
                marker.setLatLng(position);
            }
            if (pan) { map.setView(position, Math.max(map.getZoom(), 15)); }
        }

        function set(lat, lon, pan) {
            latInput.value = Number(lat).toFixed(6);
            lonInput.value = Number(lon).toFixed(6);
            latInput.dispatchEvent(new Event("change", { bubbles: true }));
            lonInput.dispatchEvent(new Event("change", { bubbles: true }));
            say("");
            place([Number(lat), Number(lon)], pan);
            check([Number(lat), Number(lon)]);
            fillAddress(lat, lon);
        }

        function getJson(url) {
            return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
                return response.json().catch(function () { return {}; }).then(function (data) {
                    if (!response.ok) { throw new Error(data.error || picker.getAttribute("data-failed-message")); }
                    return data;
                });
            });
        }

        function fillAddress(lat, lon) {
            if (!addressInput || addressInput.value.trim()) { return; }
            var url = picker.getAttribute("data-reverse-url") + "?lat=" + encodeURIComponent(Number(lat).toFixed(6)) + "&lon=" + encodeURIComponent(Number(lon).toFixed(6));
            getJson(url).then(function (data) {
                if (data.found && !addressInput.value.trim()) { addressInput.value = data.address; }
            }).catch(function (error) { say(error.message, true); });
        }

        map.on("click", function (event) { set(event.latlng.lat, event.latlng.lng, false); });

        [latInput, lonInput].forEach(function (input) {
            input.addEventListener("change", function () {
                if (!latInput.value.trim() && !lonInput.value.trim()) { say(""); return; }
                var position = current();
                if (!position) { say(picker.getAttribute("data-malformed-message"), true); return; }
                say("");
                place(position, true);
                check(position);
            });
        });

        var paste = picker.querySelector("[data-geo-paste]");
        if (paste) {
            paste.addEventListener("change", function () {
                var match = paste.value.trim().match(/^([-+]?\d{1,3}(?:[.,]\d+)?)\s*(?:[;\/]|,\s*|\s+)\s*([-+]?\d{1,3}(?:[.,]\d+)?)$/);
                if (!match) { say(picker.getAttribute("data-malformed-message"), true); return; }
                var lat = readDegrees(match[1]);
                var lon = readDegrees(match[2]);
                if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
                    say(picker.getAttribute("data-malformed-message"), true);
                    return;
                }
                set(lat, lon, true);
            });
        }

        var geocodeButton = picker.querySelector("[data-geo-geocode]");
        if (geocodeButton && addressInput) {
            geocodeButton.addEventListener("click", function () {
                geocodeButton.disabled = true;
                getJson(picker.getAttribute("data-geocode-url") + "?q=" + encodeURIComponent(addressInput.value))
                    .then(function (data) {
                        if (data.found) { set(data.latitude, data.longitude, true); } else { say(data.message, true); }
                    })
                    .catch(function (error) { say(error.message, true); })
                    .then(function () { geocodeButton.disabled = false; });
            });
        }

        var exifButton = picker.querySelector("[data-geo-exif]");
        if (exifButton && imageInput) {
            exifButton.addEventListener("click", function () {
                if (!imageInput.value) { say(picker.getAttribute("data-no-photo-message"), true); return; }
                getJson(picker.getAttribute("data-exif-url") + encodeURIComponent(imageInput.value) + "/")
                    .then(function (data) {
                        if (!data.found) { say(data.message, true); return; }
                        set(data.latitude, data.longitude, true);
                        say(picker.getAttribute("data-photo-message") + " " + data.latitude + ", " + data.longitude + ".", data.outside_vietnam);
                    })
                    .catch(function (error) { say(error.message, true); });
            });
        }

        var start = current();
        if (start) { place(start, true); }
        // The panel may be in a collapsed section or a hidden tab: fix the size when it shows.
        if ("IntersectionObserver" in window) {
            new IntersectionObserver(function () { map.invalidateSize(); }).observe(mapElement);
        }
    }

    function setupZone(widget) {
        if (widget.getAttribute("data-ready")) { return; }
        widget.setAttribute("data-ready", "true");
        var textarea = widget.querySelector("textarea");
        var status = widget.querySelector("[data-geo-zone-status]");
        var map = L.map(widget.querySelector("[data-geo-zone-map]")).setView(DEFAULT_CENTER, 12);
        tiles(widget, map);
        var corners = [];
        var layer = L.layerGroup().addTo(map);

        function write() {
            if (corners.length >= 3) {
                var ring = corners.map(function (c) { return [Number(c[1].toFixed(7)), Number(c[0].toFixed(7))]; });
                ring.push(ring[0]);
                textarea.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
            } else {
                textarea.value = "";
            }
        }

        function show(geometry) {
            layer.clearLayers();
            if (geometry) {
                var shape = L.geoJSON(geometry).addTo(layer);
                if (shape.getBounds().isValid()) { map.fitBounds(shape.getBounds(), { padding: [16, 16] }); }
            } else if (corners.length) {
                L.polygon(corners).addTo(layer);
                corners.forEach(function (c) { L.circleMarker(c, { radius: 4 }).addTo(layer); });
            }
        }

        function fromText() {
            try {
                var value = JSON.parse(textarea.value);
                show(value.type === "FeatureCollection" || value.type === "Feature" || value.coordinates ? value : null);
                status.textContent = "";
            } catch (error) {
                if (textarea.value.trim()) { status.textContent = widget.getAttribute("data-invalid-message"); }
            }
        }

        map.on("click", function (event) {
            corners.push([event.latlng.lat, event.latlng.lng]);
            write();
            show(null);
        });
        widget.querySelector("[data-geo-zone-undo]").addEventListener("click", function () {
            corners.pop(); write(); show(null);
        });
        widget.querySelector("[data-geo-zone-clear]").addEventListener("click", function () {
            corners = []; write(); show(null);
        });
        widget.querySelector("[data-geo-zone-file]").addEventListener("change", function (event) {
            var file = event.target.files[0];
            if (!file) { return; }
            var reader = new FileReader();
            reader.onload = function () {
                textarea.value = String(reader.result);
                corners = [];
                fromText();
            };
            reader.readAsText(file);
        });
        textarea.addEventListener("change", fromText);
        if (textarea.value.trim()) { fromText(); }
    }

    function setupAll() {
        if (!window.L) { return; }
        Array.prototype.forEach.call(document.querySelectorAll("[data-geo-picker]"), setupPicker);
        Array.prototype.forEach.call(document.querySelectorAll("[data-geo-zone]"), setupZone);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setupAll);
    } else {
        setupAll();
    }
})();
