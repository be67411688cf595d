// Keeps an import's progress bar up to date and opens its report when the import ends.
const POLL_MILLISECONDS = 1000
const FINISHED = ['succeeded', 'rejected', 'failed']

const panel = document.getElementById('import-progress')
const bar = document.getElementById('import-progress-bar')
const message = document.getElementById('import-progress-message')

async function poll () {
  try {
    const response = await fetch(panel.dataset.statusUrl, { headers: { Accept: 'application/json' } })
    if (response.ok) {
      const progress = await response.json()
      bar.value = progress.progress
      bar.textContent = progress.progress + '%'
      if (message.textContent !== progress.message) message.textContent = progress.message
      if (FINISHED.includes(progress.state)) {
        window.location.assign(progress.url)
        return
      }
    }
  } catch (error) {
    // A dropped request is retried on the next tick; the page's own link still works.
  }
  window.setTimeout(poll, POLL_MILLISECONDS)
}

if (panel) window.setTimeout(poll, POLL_MILLISECONDS)
