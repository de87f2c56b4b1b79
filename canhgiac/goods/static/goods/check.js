// The public check page: read a QR code from a photo (file input with capture, what every phone
// offers) or from the live camera (getUserMedia, where the browser allows it), with jsQR served
// locally; the code read fills the form, which is then submitted.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var form = document.getElementById("check-form");
    if (!form || typeof window.jsQR !== "function") return;
    var input = document.getElementById("code");
    var photo = document.getElementById("qr-photo");
    var status = document.getElementById("qr-status");
    var canvas = document.getElementById("qr-canvas");
    var ctx = canvas.getContext("2d", { willReadFrequently: true });

    function decode(source, width, height) {
      var scale = Math.min(1, 1200 / Math.max(width, height));
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
      var data = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(data.data, data.width, data.height, { inversionAttempts: "attemptBoth" });
      return found && found.data ? found.data : null;
    }
    function submit(text) {
      input.value = text;
      status.textContent = status.dataset.msgRead;
      form.submit();
    }
    photo.addEventListener("change", function () {
      var file = photo.files && photo.files[0];
      if (!file) return;
      // a data: URL (the page's Content-Security-Policy allows data: images, not blob:)
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () {
          var text = decode(img, img.naturalWidth, img.naturalHeight);
          if (text) submit(text);
          else status.textContent = status.dataset.msgNone;
        };
        img.onerror = function () {
          status.textContent = status.dataset.msgNone;
        };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });

    var button = document.getElementById("qr-camera");
    var video = document.getElementById("qr-video");
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) || !window.isSecureContext) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" } })
        .then(function (stream) {
          video.srcObject = stream;
          video.hidden = false;
          video.style.maxWidth = "100%";
          video.play();
          function tick() {
            if (video.readyState === video.HAVE_ENOUGH_DATA) {
              var text = decode(video, video.videoWidth, video.videoHeight);
              if (text) {
                stream.getTracks().forEach(function (t) { t.stop(); });
                submit(text);
                return;
              }
            }
            requestAnimationFrame(tick);
          }
          requestAnimationFrame(tick);
        })
        .catch(function () {
          button.hidden = true;
        });
    });
  });
})();
