// The article's photo list, opened by the body editor's figure dialog ("Browse…"). Choosing a
// photo hands its address, number, description and caption back to the editor, which stores
// the number as data-file on the image; the article page shows that photo in all its sizes.
// The choices are disabled until this script has wired them up.
"use strict"

document.addEventListener("DOMContentLoaded", () => {
  const funcNum = new URLSearchParams(window.location.search).get("CKEditorFuncNum")
  const editor = funcNum && window.opener && window.opener.CKEDITOR
  if (!editor) {
    document.querySelector(".photo-picker-opener-missing").hidden = false
    return
  }
  for (const button of document.querySelectorAll(".photo-picker-choice")) {
    button.addEventListener("click", () => {
      editor.tools.callFunction(funcNum, button.dataset.url, {
        id: button.dataset.photoId,
        alternative_text: button.dataset.alt,
        caption: button.dataset.caption,
      })
      window.close()
    })
    button.disabled = false
  }
})
