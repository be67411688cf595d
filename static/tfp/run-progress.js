// Polls the progress of a requested eligibility run and opens the run's page when it ends.
const POLL_MILLISECONDS = 2000

const panel = document.getElementById('run-progress')
const message = document.getElementById('run-progress-message')

async function poll () {
  try {
    const response = await fetch(panel.dataset.statusUrl, { headers: { Accept: 'application/json' } })
    if (response.ok) {
      const progress = await response.json()
      if (message.textContent !== progress.message) message.textContent = progress.message
      if (progress.state === 'succeeded' || progress.state === 'failed') {
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
