import type { AllocationSnapshot } from '@/lib/domain/load/snapshot';
import type { LoadSiteView } from '@/lib/services/load-views';

/** The chart's rows for one node, in the node's own unit: A per phase, or kW for a power limit. */
export interface ChartSeries {
  nodeId: string;
  name: string;
  unit: 'A' | 'kW';
  points: { t: number; limit: number | null; allocated: number; measured: number | null }[];
}

/** At most this many rows per node reach the browser (every live refresh sends them again). */
const maxPoints = 360;

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Chart rows per node from `from` to `to`: the stored samples (thinned to one per time bucket when
 * there are too many, the last of each: limits are steps), then the latest allocation, which is
 * newer than the last sample by up to a few seconds.
 */
export function chartSeriesOf(
  view: Pick<LoadSiteView, 'nodes' | 'samples'>,
  snapshot: AllocationSnapshot | null,
  from: number,
  to: number,
): ChartSeries[] {
  return view.nodes.map((node) => {
    const shown = snapshot?.nodes.find((n) => n.id === node.id);
    // A root without a limit of its own runs on the site's grid capacity (watts): the snapshot knows.
    const unit = (shown?.unit ?? node.limitUnit) === 'W' ? 'kW' : 'A';
    const pick =
      unit === 'A'
        ? (s: LoadSiteView['samples'][number]) => ({
            limit: s.limitA,
            allocated: s.allocatedA,
            measured: s.measuredA,
          })
        : (s: LoadSiteView['samples'][number]) => ({
            limit: s.limitW === null ? null : s.limitW / 1000,
            allocated: s.allocatedW / 1000,
            measured: s.measuredW === null ? null : s.measuredW / 1000,
          });
    const own = view.samples.filter((s) => s.nodeId === node.id && Date.parse(s.at) >= from);
    // Thinned only when there are more than fit: over the span the samples cover, so that a site
    // set up minutes ago keeps every sample.
    const first = own.length ? Date.parse(own[0]!.at) : from;
    const last = own.length ? Date.parse(own[own.length - 1]!.at) : to;
    const bucketMs = own.length > maxPoints ? Math.max(1, (last - first) / maxPoints) : 0;
    const byBucket = new Map<number, ChartSeries['points'][number]>();
    own.forEach((sample, index) => {
      const t = Date.parse(sample.at);
      const v = pick(sample);
      byBucket.set(bucketMs ? Math.floor((t - first) / bucketMs) : index, {
        t,
        limit: v.limit === null ? null : round(v.limit),
        allocated: round(v.allocated),
        measured: v.measured === null ? null : round(v.measured),
      });
    });
    const points = [...byBucket.values()];
    if (shown && snapshot) {
      const t = Date.parse(snapshot.at);
      const latest =
        unit === 'A'
          ? {
              limit: shown.limitA,
              allocated: Math.max(...(node.phases === 1 ? [shown.allocatedA[0]] : shown.allocatedA)),
              measured: shown.measuredA
                ? Math.max(...(node.phases === 1 ? [shown.measuredA[0]] : shown.measuredA))
                : null,
            }
          : {
              limit: shown.limitW === null ? null : shown.limitW / 1000,
              allocated: shown.allocatedW / 1000,
              measured: shown.measuredW === null ? null : shown.measuredW / 1000,
            };
      if (!points.length || t > points[points.length - 1]!.t)
        points.push({
          t,
          limit: latest.limit === null ? null : round(latest.limit),
          allocated: round(latest.allocated),
          measured: latest.measured === null ? null : round(latest.measured),
        });
    }
    return { nodeId: node.id, name: node.name, unit, points };
  });
}
