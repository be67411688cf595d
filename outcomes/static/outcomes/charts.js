// Draw every chart on the page from the configurations the server wrote (outcome-charts).
// Each chart has a table beside it with the same figures, so nothing depends on this script.
(function () {
  var source = document.getElementById('outcome-charts')
  if (!source || typeof window.Chart === 'undefined') { return }
  var configs = JSON.parse(source.textContent)
  var day = function (value) {
    return new Date(value * 86400000).toISOString().slice(0, 10)
  }
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var config = configs[canvas.getAttribute('data-chart')]
    if (!config || !config.data.labels.length) { return }
    if (config.dateAxis) {
      // Spells are [first day, day after last] in days since 1970: show them as dates.
      config.options.scales.x.ticks = { callback: day }
      config.options.plugins = {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (context) {
              var span = context.raw
              return day(span[0]) + ' to ' + day(span[1] - 1)
            }
          }
        }
      }
    }
    delete config.dateAxis
    canvas.chart = new window.Chart(canvas, config)
  })
})()
