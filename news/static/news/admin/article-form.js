// The article form: autosave of what the editor types (every 30 s, to the server, as a draft of
// the form, never the article) and photos put in order by dragging.
"use strict";

(function () {
  function autosave(form) {
    const settings = document.getElementById("article-form-autosave");
    if (!settings || !settings.dataset.autosaveUrl) return;
    const url = settings.dataset.autosaveUrl;
    const status = document.getElementById("autosave-status");
    let changed = false;
    let sending = false;
    form.addEventListener("input", () => { changed = true; });
    form.addEventListener("change", () => { changed = true; });
    form.addEventListener("submit", () => { changed = false; });

    function send() {
      if (!changed || sending) return;
      const data = new FormData(form);
      for (const [name, value] of [...data.entries()]) {
        if (value instanceof File) data.delete(name);
      }
      data.set("_autosave_article", settings.dataset.articleId || "");
      changed = false;
      sending = true;
      fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((answer) => {
          if (status) status.textContent = status.dataset.saved.replace("%(time)s", answer.saved_at);
        })
        .catch(() => {
          changed = true;
          if (status) status.textContent = status.dataset.failed;
        })
        .finally(() => { sending = false; });
    }
    window.setInterval(send, (Number(settings.dataset.autosaveSeconds) || 30) * 1000);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") send();
    });
  }

  // Photos: each stacked inline row is dragged by its title bar (pointer events, so mouse, pen and
  // touch alike); the order fields follow the rows.
  function sortablePhotos(group) {
    const rows = () => [...group.querySelectorAll(".inline-related:not(.empty-form)")];
    function renumber() {
      rows().forEach((row, index) => {
        const order = row.querySelector('input[name$="-order"]');
        if (order && String(order.value) !== String(index + 1)) {
          order.value = index + 1;
          order.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    }
    function prepare(row) {
      if (row.dataset.sortable) return;
      row.dataset.sortable = "1";
      const handle = row.querySelector("h3");
      if (!handle) return;
      handle.classList.add("photo-drag-handle");
      // Moves and the release are followed on the document: moving the row in the page would
      // release a pointer capture on its title bar.
      const move = (event) => {
        for (const other of rows()) {
          if (other === row) continue;
          const box = other.getBoundingClientRect();
          if (event.clientY >= box.top && event.clientY <= box.bottom) {
            const after = event.clientY > box.top + box.height / 2;
            const next = after ? other.nextSibling : other;
            if (next !== row && row.nextSibling !== next) other.parentNode.insertBefore(row, next);
            break;
          }
        }
      };
      const end = () => {
        document.removeEventListener("pointermove", move);
        document.removeEventListener("pointerup", end);
        document.removeEventListener("pointercancel", end);
        row.classList.remove("photo-dragging");
        renumber();
      };
      handle.addEventListener("pointerdown", (event) => {
        if (event.button !== 0 || event.target.closest("input, label, a, button")) return;
        event.preventDefault();
        row.classList.add("photo-dragging");
        document.addEventListener("pointermove", move);
        document.addEventListener("pointerup", end);
        document.addEventListener("pointercancel", end);
      });
    }
    rows().forEach(prepare);
    document.addEventListener("formset:added", (event) => {
      if (event.target.closest && event.target.closest("#photos-group")) {
        prepare(event.target);
        renumber();
      }
    });
  }

  function ready() {
    const form = document.getElementById("article_form");
    if (!form) return;
    autosave(form);
    const photos = document.getElementById("photos-group");
    if (photos) sortablePhotos(photos);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
