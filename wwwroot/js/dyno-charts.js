// The one chart module: creates an ApexCharts chart once per element, then only swaps in new points
// (or a new window) with animations off. ApexCharts itself is the vendored UMD build (window.ApexCharts),
// loaded by App.razor; its ESM build has bare imports a browser cannot resolve (wwwroot/lib/README.md).

const charts = new WeakMap();

const palette = ['#1e88e5', '#e53935', '#43a047', '#fb8c00', '#8e24aa', '#00acc1', '#6d4c41', '#546e7a'];

function formatNumber(value) {
    if (value === null || value === undefined || Number.isNaN(value)) {
        return '';
    }
    const abs = Math.abs(value);
    return abs >= 100 || Number.isInteger(value) ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function markerAnnotations(config) {
    // A 36-px sparkline has no room for a label: the line alone says "something happened here" (the caption names it).
    const spark = config.kind === 'sparkline';
    const xaxis = (config.markers || []).map(m => ({
        x: m.x,
        borderColor: m.color,
        strokeDashArray: 3,
        label: spark ? { text: undefined } : { text: m.label, orientation: 'vertical', borderColor: m.color, style: { color: '#fff', background: m.color } }
    }));
    const yaxis = config.quota ? [{
        y: config.quota,
        borderColor: '#e53935',
        strokeDashArray: 6,
        label: { text: `quota ${formatNumber(config.quota)} ${config.unit || ''}`, style: { color: '#fff', background: '#e53935' } }
    }] : [];
    return { xaxis, yaxis };
}

function options(config, series) {
    const bar = config.kind === 'bar';
    const spark = config.kind === 'sparkline';
    const opts = {
        chart: {
            type: bar ? 'bar' : 'line',
            height: config.height,
            animations: { enabled: false },
            toolbar: { show: false },
            zoom: { enabled: false },
            sparkline: { enabled: spark },
            background: 'transparent',
            fontFamily: 'inherit'
        },
        theme: { mode: config.dark ? 'dark' : 'light' },
        colors: config.colors && config.colors.length ? config.colors : palette,
        series,
        stroke: { width: bar ? 0 : (spark ? 1.5 : 2), curve: 'straight' },
        dataLabels: { enabled: false },
        legend: { show: !spark && series.length > 1, position: 'top', horizontalAlign: 'left' },
        noData: { text: 'waiting for data' },
        tooltip: { enabled: !spark, shared: !bar, x: { format: 'HH:mm:ss' }, y: { formatter: v => `${formatNumber(v)} ${config.unit || ''}` } },
        grid: { borderColor: config.dark ? '#444' : '#e0e0e0' },
        yaxis: {
            min: 0,
            max: config.yMax || undefined,
            forceNiceScale: !spark,
            labels: { formatter: formatNumber },
            title: { text: spark ? undefined : config.unit }
        }
    };
    if (bar) {
        opts.plotOptions = { bar: { horizontal: false, columnWidth: '60%' } };
        opts.xaxis = { categories: config.categories };
    } else {
        opts.xaxis = { type: 'datetime', min: config.xMin, max: config.xMax, labels: { datetimeUTC: false } };
        opts.annotations = markerAnnotations(config);
        opts.markers = { size: 0 };
    }
    return opts;
}

// Freshness probes for tests and the perf harness: the newest x drawn, how many series, how many updates.
function stamp(element, series) {
    let lastX = 0;
    let points = 0;
    for (const s of series) {
        points += s.data.length;
        const last = s.data[s.data.length - 1];
        if (Array.isArray(last) && last[0] > lastX) {
            lastX = last[0];
        }
    }
    element.dataset.lastX = String(lastX);
    element.dataset.seriesCount = String(series.length);
    element.dataset.points = String(points);
    element.dataset.updates = String((Number(element.dataset.updates) || 0) + 1);
}

/** The drawable width in CSS pixels: the server downsamples to it. */
export function plotWidth(element) {
    return element ? Math.max(100, Math.floor(element.clientWidth || 600)) : 600;
}

/** Creates the chart (replacing one already there, e.g. after a theme change). */
export function initializeChart(element, config, series) {
    if (!element || !window.ApexCharts) {
        console.warn('dyno-charts: no element or ApexCharts not loaded');
        return;
    }
    disposeChart(element);
    const host = document.createElement('div');
    element.replaceChildren(host);
    const chart = new window.ApexCharts(host, options(config, series));
    charts.set(element, { chart, config });
    chart.render().then(() => stamp(element, series));
}

/** New points and/or a new window; layout, theme and handlers stay as they are. */
export function updateChart(element, series, xMin, xMax, markers, categories) {
    const entry = element ? charts.get(element) : undefined;
    if (!entry) {
        return;
    }
    const { chart, config } = entry;
    if (config.kind === 'bar') {
        chart.updateOptions({ series, xaxis: { categories } }, false, false);
    } else {
        config.xMin = xMin;
        config.xMax = xMax;
        config.markers = markers;
        chart.updateOptions({ series, xaxis: { min: xMin, max: xMax }, annotations: markerAnnotations(config) }, false, false);
    }
    stamp(element, series);
}

export function disposeChart(element) {
    const entry = element ? charts.get(element) : undefined;
    if (entry) {
        entry.chart.destroy();
        charts.delete(element);
    }
}
