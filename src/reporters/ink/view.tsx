/**
 * What the ink reporter draws. Renders the store's state and nothing else: finished lines go to <Static> (printed
 * once, never redrawn), the live area below holds only the running steps.
 */
import { Box, Static, Text, useStdout } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { firstLine, formatDuration } from '../../ui/text.js';
import { cleanupText, countsText, marks, runbookSummary, skipText, timing } from '../summary.js';
import type { InkStore, RunningStep, StaticItem } from './store.js';

type Color = 'green' | 'red' | 'yellow' | 'cyan' | 'gray' | 'magenta';

/** Text props for a colour, or none when colour is off (so NO_COLOR output carries no escapes). */
interface Paint {
  (color: Color): { color?: Color };
  dim: { dimColor?: boolean };
  bold: { bold?: boolean };
}

function painter(enabled: boolean): Paint {
  const paint = ((color: Color) => (enabled ? { color } : {})) as Paint;
  paint.dim = enabled ? { dimColor: true } : {};
  paint.bold = enabled ? { bold: true } : {};
  return paint;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Re-renders every `ms` while `active`, for the spinner and the elapsed time. */
function useTick(active: boolean, ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active || ms <= 0) return;
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return tick;
}

/** The terminal's width, re-read when it is resized (ink re-lays out; this makes the tree re-render too). */
function useColumns(): number {
  const { stdout } = useStdout();
  const [columns, setColumns] = useState(stdout.columns || 80);
  useEffect(() => {
    const onResize = () => setColumns(stdout.columns || 80);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return columns;
}

export interface InkAppProps {
  store: InkStore;
  color: boolean;
  /** Epoch-ms clock for elapsed times. */
  now?: () => number;
  /** Spinner and clock refresh interval; 0 turns ticking off (tests drive renders through the store). */
  tickMs?: number;
}

export function InkApp({ store, color, now = Date.now, tickMs = 100 }: InkAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const columns = useColumns();
  const tick = useTick(state.running.length > 0 && !state.done, tickMs);
  const paint = painter(color);
  return (
    // No explicit width here: ink lays the live area out at the terminal's width itself, right when it resizes.
    <Box flexDirection="column">
      <Static items={state.items}>{(item) => <Item key={item.id} item={item} paint={paint} width={columns} />}</Static>
      <LiveArea running={state.running} multi={state.multi} color={color} frame={SPINNER[tick % SPINNER.length]!} now={now()} />
    </Box>
  );
}

/** The part that is redrawn: the running steps. Exported so a resize can measure what it last drew. */
export function LiveArea({ running, multi, color, frame, now }: { running: readonly RunningStep[]; multi: boolean; color: boolean; frame: string; now: number }) {
  const paint = painter(color);
  return (
    <Box flexDirection="column">
      {running.map((r) => (
        <Running key={`${r.file}\0${r.index}`} step={r} multi={multi} paint={paint} frame={frame} now={now} />
      ))}
    </Box>
  );
}

function Item({ item, paint, width }: { item: StaticItem; paint: Paint; width: number }) {
  switch (item.type) {
    case 'header':
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text wrap="truncate-end">
            <Text {...paint.bold}>{item.file}</Text>
            {item.title ? <Text> · {item.title}</Text> : null}
            <Text {...paint.dim}> · {item.steps} steps</Text>
          </Text>
          {item.target ? (
            <Text wrap="truncate-end" {...paint.dim}>
              context <Text {...paint('cyan')}>{item.target.context}</Text> at {item.target.server}
              {item.target.sandbox ? ' (sandbox)' : ''}
            </Text>
          ) : null}
        </Box>
      );
    case 'step':
      return <Finished item={item} paint={paint} width={width} />;
    case 'cleanup':
      return (
        <Box flexDirection="column" paddingLeft={2}>
          <Text {...paint('yellow')}>
            ! {item.file}: {cleanupText(item.cleanup)}
          </Text>
          {item.cleanup.left.map((l) => (
            <Text key={l.object}>
              {'  '}
              {l.object}: {l.reason}
            </Text>
          ))}
        </Box>
      );
    case 'runbook-end': {
      const r = item.report;
      if (r.error !== undefined) {
        return (
          <Text {...paint('red')}>
            {marks.failed} {r.file}: could not run: {r.error}
          </Text>
        );
      }
      return (
        <Text>
          <Text {...paint(r.status === 'passed' ? 'green' : 'red')} {...paint.bold}>
            {r.status === 'passed' ? marks.passed : marks.failed} {r.file}
          </Text>
          <Text>: {runbookSummary(r)}</Text>
        </Text>
      );
    }
    case 'run-end': {
      const { summary, interrupted, runbooks } = item.report;
      return (
        <Box marginTop={1}>
          <Text {...paint.bold}>
            total: {countsText(summary)} in {formatDuration(summary.durationMs)} ({runbooks.length} runbook{runbooks.length === 1 ? '' : 's'})
            {interrupted ? <Text {...paint('yellow')}>, interrupted</Text> : null}
          </Text>
        </Box>
      );
    }
  }
}

/** `[3]  apply  ` padded so commands line up (with the file when several runbooks interleave). */
const label = (file: string, index: number, kind: string, multi: boolean) =>
  `${multi ? `${file} ` : ''}${`[${index}]`.padEnd(4)} ${kind.padEnd(7)}`;

function Finished({ item, paint, width }: { item: Extract<StaticItem, { type: 'step' }>; paint: Paint; width: number }) {
  const r = item.report;
  const mark = r.status === 'passed' ? marks.passed : r.status === 'failed' ? marks.failed : marks.skipped;
  const tone: Color = r.status === 'passed' ? 'green' : r.status === 'failed' ? 'red' : 'yellow';
  const right = r.status === 'skipped' ? skipText(r) : timing(r);
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Box flexShrink={0}>
          <Text {...paint(tone)}>{mark} </Text>
          <Text {...(r.status === 'skipped' ? paint.dim : {})}>{label(item.file, r.index, r.kind, item.multi)} </Text>
        </Box>
        <Box flexGrow={1} flexShrink={1} minWidth={8}>
          <Text wrap="truncate-end" {...paint.dim}>
            {firstLine(item.command)}
          </Text>
        </Box>
        <Box flexShrink={0} marginLeft={1}>
          <Text {...paint.dim}>{right}</Text>
        </Box>
      </Box>
      {r.status === 'failed' ? <Failure report={r} paint={paint} /> : null}
    </Box>
  );
}

function Failure({ report, paint }: { report: Extract<StaticItem, { type: 'step' }>['report']; paint: Paint }) {
  return (
    <Box flexDirection="column" paddingLeft={4} marginBottom={1}>
      {report.error ? <Text {...paint('red')}>{report.error}</Text> : null}
      {report.diff ? (
        <Box flexDirection="column">
          <Text {...paint.dim}>- recorded, + actual</Text>
          {report.diff.split('\n').map((line, i) => (
            <Text key={i} {...(line.startsWith('+') ? paint('green') : line.startsWith('-') ? paint('red') : line.startsWith('@@') ? paint('cyan') : {})}>
              {line || ' '}
            </Text>
          ))}
        </Box>
      ) : report.actual ? (
        <Box flexDirection="column">
          <Text {...paint.dim}>output:</Text>
          <Text>{report.actual}</Text>
        </Box>
      ) : null}
      {report.diagnostics?.length ? (
        <Box flexDirection="column">
          <Text {...paint.dim}>diagnostics:</Text>
          {report.diagnostics.map((d, i) => (
            <Text key={i} {...paint('yellow')}>
              {d}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

function Running({ step, multi, paint, frame, now }: { step: RunningStep; multi: boolean; paint: Paint; frame: string; now: number }) {
  const elapsed = formatDuration(Math.max(0, now - step.startedAt));
  const budget = step.deadline > step.startedAt ? ` / ${formatDuration(step.deadline - step.startedAt)}` : '';
  const attempt = step.attempt > 1 ? `, attempt ${step.attempt}` : '';
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0}>
          <Text {...paint('cyan')}>{frame} </Text>
          <Text>{label(step.file, step.index, step.kind, multi)} </Text>
        </Box>
        <Box flexGrow={1} flexShrink={1} minWidth={8}>
          <Text wrap="truncate-end">{firstLine(step.command)}</Text>
        </Box>
        <Box flexShrink={0} marginLeft={1}>
          <Text {...paint.dim}>
            {elapsed}
            {budget}
            {attempt}
          </Text>
        </Box>
      </Box>
      {step.progress ? (
        <Box paddingLeft={4}>
          <Text wrap="truncate-end" {...paint('yellow')}>
            {step.progress}
          </Text>
        </Box>
      ) : null}
      {step.tail.map((line, i) => (
        <Box key={i} paddingLeft={4}>
          <Text wrap="truncate-end" {...paint.dim}>
            │ {line}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
