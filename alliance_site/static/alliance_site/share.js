// The article's "Share" control: on a phone that has the Web Share API, the system share sheet
// (WeChat among its targets); elsewhere the control opens to show the page's QR code.
"use strict";
(function () {
  const phone = window.matchMedia("(pointer: coarse)").matches;
  if (!phone || typeof navigator.share !== "function") {
    return;
  }
  for (const control of document.querySelectorAll("details.share[data-share-url]")) {
    control.querySelector("summary").addEventListener("click", (event) => {
      event.preventDefault();
      navigator.share({ title: control.dataset.shareTitle, url: control.dataset.shareUrl }).catch((error) => {
        if (error.name !== "AbortError") {
          control.open = true; // sharing failed: the QR code still works
        }
      });
    });
  }
})();
