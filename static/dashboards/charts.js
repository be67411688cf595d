// Draw every chart of a dashboard from the configurations the server wrote (dashboard-charts).
// Each chart has a table with the same figures beside it, so nothing depends on this script.
(function () {
  var source = document.getElementById('dashboard-charts')
  if (!source || typeof window.Chart === 'undefined') { return }
  var configs = JSON.parse(source.textContent)
  var pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' })
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var config = configs[canvas.getAttribute('data-chart')]
    if (!config) { return }
    if (config.money) {
      config.options.scales.y.ticks = { callback: function (value) { return pounds.format(value) } }
      config.options.plugins = {
        tooltip: {
          callbacks: {
            label: function (context) {
              return context.dataset.label + ': ' + pounds.format(context.parsed.y)
            }
          }
        }
      }
    }
    delete config.money
    canvas.chart = new window.Chart(canvas, config)
  })
})()
