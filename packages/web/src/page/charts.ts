import uPlot from 'uplot';

const CHART_HEIGHT = 140;

function widthOf(container: HTMLElement): number {
  return Math.max(200, Math.floor(container.clientWidth));
}

/** A line over the last minutes: req/s or p95, of the fleet or of one route. */
export class TimeChart {
  private readonly plot: uPlot;

  constructor(
    private readonly container: HTMLElement,
    label: string,
    stroke: string,
    unit: (value: number) => string,
  ) {
    const options: uPlot.Options = {
      width: widthOf(container),
      height: CHART_HEIGHT,
      scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      series: [{}, { label, stroke, width: 2, fill: `${stroke}22`, spanGaps: false, points: { show: false }, value: (_plot, value) => (value === null ? '-' : unit(value)) }],
      axes: [{ stroke: '#9aa4b2', grid: { stroke: '#2a3140' } }, { stroke: '#9aa4b2', grid: { stroke: '#2a3140' }, size: 56, values: (_plot, splits) => splits.map(unit) }],
      legend: { live: true },
    };
    this.plot = new uPlot(options, [[], []], container);
  }

  /** Times in epoch milliseconds, values null where unknown. */
  update(times: readonly number[], values: ReadonlyArray<number | null>): void {
    this.plot.setData([times.map((time) => time / 1_000), [...values]]);
  }

  resize(): void {
    this.plot.setSize({ width: widthOf(this.container), height: CHART_HEIGHT });
  }

  destroy(): void {
    this.plot.destroy();
  }
}

/** A route's latency distribution over the window: a bar per coarse bucket, as zPages draws them. */
export class DistributionChart {
  private readonly plot: uPlot;

  constructor(
    private readonly container: HTMLElement,
    labels: readonly string[],
  ) {
    const options: uPlot.Options = {
      width: widthOf(container),
      height: CHART_HEIGHT,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      series: [
        { label: 'latency', value: (_plot, index) => (index === null ? '-' : (labels[index] ?? '')) },
        { label: 'requests', stroke: '#7aa2f7', fill: '#7aa2f788', paths: uPlot.paths.bars?.({ size: [0.7, 64] }), points: { show: false } },
      ],
      axes: [
        { stroke: '#9aa4b2', grid: { show: false }, rotate: -30, size: 52, splits: () => labels.map((_label, index) => index), values: (_plot, splits) => splits.map((index) => labels[index] ?? '') },
        { stroke: '#9aa4b2', grid: { stroke: '#2a3140' }, size: 48 },
      ],
      legend: { live: true },
    };
    this.plot = new uPlot(options, [labels.map((_label, index) => index), labels.map(() => 0)], container);
  }

  update(counts: readonly number[]): void {
    this.plot.setData([counts.map((_count, index) => index), [...counts]]);
  }

  resize(): void {
    this.plot.setSize({ width: widthOf(this.container), height: CHART_HEIGHT });
  }

  destroy(): void {
    this.plot.destroy();
  }
}
