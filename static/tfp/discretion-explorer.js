// The discretion explorer without a round trip per click: ticking or unticking a type fetches
// the same page the "Show the effect" button would, and puts its figures and apply form in
// place. Without script the button does the same.
const form = document.querySelector('form[data-module="tfp-discretion-explorer"]')
const figures = document.getElementById('discretion-figures')
const status = document.getElementById('discretion-status')
let latest = 0

async function refresh () {
  const url = `${form.action}?${new URLSearchParams(new FormData(form))}`
  const asked = ++latest
  try {
    const response = await fetch(url, { headers: { Accept: 'text/html' } })
    if (!response.ok || asked !== latest) return
    const page = new DOMParser().parseFromString(await response.text(), 'text/html')
    const fresh = page.getElementById('discretion-figures')
    if (!fresh || asked !== latest) return
    figures.replaceChildren(...fresh.childNodes)
    status.textContent = `${figures.querySelector('#discretion-eligible').textContent.trim()} eligible with the types ticked`
    window.history.replaceState(null, '', url)
  } catch (error) {
    // The button still works; nothing to do until the next change.
  }
}

if (form && figures) form.addEventListener('change', refresh)
