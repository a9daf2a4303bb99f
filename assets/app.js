// qiaolink pages: results as one types, keyboard moves through results, confirmations,
// and upload progress. Everything also works without this script, only slower.
(function () {
  "use strict";

  // Search as you type: fetch the results part of the page and put it in place.
  function liveSearch(input) {
    var form = input.form;
    var target = document.querySelector(input.dataset.live);
    var timer = null;
    var inflight = null;
    function run() {
      var params = new URLSearchParams(new FormData(form));
      var address = form.action + "?" + params.toString();
      if (inflight) inflight.abort();
      inflight = new AbortController();
      fetch(address + "&partial=1", { signal: inflight.signal, credentials: "same-origin" })
        .then(function (response) {
          if (response.redirected && response.url.indexOf("/login") >= 0) {
            window.location = response.url;
            return null;
          }
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          target.innerHTML = html;
          history.replaceState(null, "", address);
        })
        .catch(function (e) { if (e.name !== "AbortError") console.error(e); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var first = target.querySelector(".hit-link");
        if (first) { first.focus(); e.preventDefault(); }
      } else if (e.key === "Escape") {
        input.value = "";
        run();
      }
    });
    target.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(target.querySelectorAll(".hit-link"));
      var i = links.indexOf(document.activeElement);
      if (i < 0) return;
      e.preventDefault();
      if (e.key === "ArrowDown" && i + 1 < links.length) links[i + 1].focus();
      if (e.key === "ArrowUp") (i === 0 ? input : links[i - 1]).focus();
    });
  }

  // "/" jumps to the search box from anywhere on the page.
  document.addEventListener("keydown", function (e) {
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag)) {
      var box = document.querySelector("input[type=search]");
      if (box) { box.focus(); box.select(); e.preventDefault(); }
    }
  });

  // Forms that delete something ask first.
  document.addEventListener("submit", function (e) {
    var message = e.target.dataset && e.target.dataset.confirm;
    if (message && !window.confirm(message)) e.preventDefault();
  }, true);

  // Uploads show their progress, then the report replaces the page.
  function uploadWithProgress(form) {
    var box = document.querySelector(form.dataset.progress);
    var bar = box.querySelector("progress");
    var label = box.querySelector("span");
    form.addEventListener("submit", function (e) {
      if (!form.querySelector("input[type=file]").value) return;
      e.preventDefault();
      box.hidden = false;
      form.querySelector("button[type=submit]").disabled = true;
      label.textContent = label.dataset.uploading;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = function (p) {
        if (p.lengthComputable) bar.value = Math.round((p.loaded / p.total) * 100);
      };
      xhr.upload.onload = function () {
        bar.removeAttribute("value");
        label.textContent = label.dataset.working;
      };
      xhr.onload = function () {
        document.open();
        document.write(xhr.responseText);
        document.close();
      };
      xhr.send(new FormData(form));
    });
  }

  // The check-in desk: the arrivals count follows the other desks.
  function pollCount(el) {
    setInterval(function () {
      fetch(el.dataset.poll, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (n) { if (n !== null && /^\d+$/.test(n)) el.textContent = n; })
        .catch(function () {});
    }, 5000);
  }

  // Scanning the invitation's QR code with the phone's camera, where the browser can read
  // QR codes (BarcodeDetector); elsewhere the code is typed.
  function scanner(button) {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    button.hidden = false;
    var input = document.querySelector(button.dataset.scan);
    var video = document.getElementById("scan-video");
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        function stop() { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; }
        function look() {
          detector.detect(video).then(function (codes) {
            if (codes.length) { stop(); input.value = codes[0].rawValue; input.form.submit(); }
            else requestAnimationFrame(look);
          }).catch(function () { requestAnimationFrame(look); });
        }
        look();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-live]").forEach(liveSearch);
    document.querySelectorAll("form[data-progress]").forEach(uploadWithProgress);
    document.querySelectorAll("[data-poll]").forEach(pollCount);
    document.querySelectorAll("[data-scan]").forEach(scanner);
  });
})();
