/* Audio guide player: a large Play/Pause button, ±10 s buttons and a slider, all usable with the keyboard.
   Without JavaScript the browser's own controls and a download link remain. */
(function () {
    "use strict";
    if (window.heritagePlayer) {
        return;
    }
    window.heritagePlayer = true;

    function clock(seconds) {
        seconds = Math.max(0, Math.floor(seconds || 0));
        var minutes = Math.floor(seconds / 60);
        var rest = seconds % 60;
        return minutes + ":" + (rest < 10 ? "0" : "") + rest;
    }

    function enhance(root) {
        var audio = root.querySelector("[data-player-audio]");
        var template = root.querySelector("template[data-player-controls]");
        if (!audio || !template || root.hasAttribute("data-player-ready")) {
            return;
        }
        root.setAttribute("data-player-ready", "");
        root.insertBefore(template.content.cloneNode(true), audio);
        audio.removeAttribute("controls");
        audio.hidden = true;

        var play = root.querySelector("[data-player-play]");
        var seek = root.querySelector("[data-player-seek]");
        var time = root.querySelector("[data-player-time]");

        function showState() {
            var playing = !audio.paused && !audio.ended;
            play.setAttribute("aria-pressed", playing ? "true" : "false");
            play.textContent = playing ? play.getAttribute("data-label-pause") : play.getAttribute("data-label-play");
        }

        function showTime() {
            if (isFinite(audio.duration)) {
                seek.max = Math.floor(audio.duration);
            }
            seek.value = Math.floor(audio.currentTime);
            seek.setAttribute("aria-valuetext", clock(audio.currentTime) + " / " + clock(audio.duration));
            time.textContent = clock(audio.currentTime) + " / " + clock(audio.duration);
        }

        function jump(seconds) {
            var target = audio.currentTime + seconds;
            if (isFinite(audio.duration)) {
                target = Math.min(target, audio.duration);
            }
            audio.currentTime = Math.max(0, target);
        }

        play.addEventListener("click", function () {
            if (audio.paused || audio.ended) {
                // Only one guide speaks at a time.
                document.querySelectorAll("[data-player-audio]").forEach(function (other) {
                    if (other !== audio) {
                        other.pause();
                    }
                });
                var started = audio.play();
                if (started && started.catch) {
                    started.catch(showState);
                }
            } else {
                audio.pause();
            }
        });
        root.querySelector("[data-player-back]").addEventListener("click", function () { jump(-10); });
        root.querySelector("[data-player-forward]").addEventListener("click", function () { jump(10); });
        seek.addEventListener("input", function () {
            if (audio.readyState === 0) {
                audio.preload = "metadata";
                audio.load();
            }
            audio.currentTime = Number(seek.value);
        });
        seek.addEventListener("focus", function () {
            // The slider needs the duration; fetch only the recording's header, not the sound.
            if (audio.readyState === 0) {
                audio.preload = "metadata";
                audio.load();
            }
        });
        ["play", "pause", "ended"].forEach(function (name) { audio.addEventListener(name, showState); });
        ["timeupdate", "loadedmetadata", "durationchange", "seeked"].forEach(function (name) {
            audio.addEventListener(name, showTime);
        });
        showState();
    }

    function start() {
        document.querySelectorAll("[data-player]").forEach(enhance);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
