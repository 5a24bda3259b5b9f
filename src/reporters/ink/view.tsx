/**
 * What the ink reporter draws. Renders the store's state and nothing else: finished lines go to <Static> (printed
 * once, never redrawn), the live area below holds only the running steps.
 */
import { Box, Static, Text, useStdout } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { firstLine, formatDuration } from '../../ui/text.js';
import { fitRow, truncate } from '../../ui/width.js';
import { countsText, leftText, location, marks, runbookSummary, skipText, timing } from '../summary.js';
import type { InkStore, RunningStep, StaticItem } from './store.js';
import type { StepStatus } from '../../core/events.js';

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
      <LiveArea running={state.running} multi={state.multi} color={color} frame={SPINNER[tick % SPINNER.length]!} now={now()} columns={columns} />
    </Box>
  );
}

export interface LiveAreaProps {
  running: readonly RunningStep[];
  multi: boolean;
  color: boolean;
  frame: string;
  now: number;
  /** The terminal's width: every row is cut to it, since a row that wraps cannot be erased and redrawn in place. */
  columns: number;
}

/** The part that is redrawn: the running steps. Exported so a resize can measure what it last drew. */
export function LiveArea({ running, multi, color, frame, now, columns }: LiveAreaProps) {
  const paint = painter(color);
  return (
    <Box flexDirection="column">
      {running.map((r) => (
        <Running key={`${r.file}\0${r.index}`} step={r} multi={multi} paint={paint} frame={frame} now={now} columns={columns} />
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
            ! {item.file}: {leftText(item.cleanup)}
          </Text>
          {item.cleanup.left.map((l) => (
            <Text key={l.object}>
              {'  '}
              {l.object}: {l.reason}
            </Text>
          ))}
          {item.cleanup.deleteCommand !== undefined ? (
            <Text>
              {'  '}
              <Text {...paint.dim}>delete with:</Text> {item.cleanup.deleteCommand}
            </Text>
          ) : null}
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

/** A command's first line as one row's worth of text (a tab would move the cursor by an unknown amount). */
const oneLine = (command: string) => firstLine(command).replace(/\t/g, ' ');

const tones: Record<StepStatus, Color> = { passed: 'green', failed: 'red', updated: 'cyan', skipped: 'yellow' };

function Finished({ item, paint, width }: { item: Extract<StaticItem, { type: 'step' }>; paint: Paint; width: number }) {
  const r = item.report;
  const mark = marks[r.status];
  const tone = tones[r.status];
  const right = r.status === 'skipped' ? skipText(r) : timing(r);
  // On a narrow terminal the attempts give way before the command does.
  const rights = r.status === 'skipped' ? [right] : [right, formatDuration(r.durationMs)];
  const row = fitRow(`${mark} ${label(item.file, r.index, r.kind, item.multi)} `, oneLine(item.command), rights, width);
  return (
    <Box flexDirection="column">
      <Text>
        <Text {...paint(tone)}>{row.left.slice(0, mark.length)}</Text>
        <Text {...(r.status === 'skipped' ? paint.dim : {})}>{row.left.slice(mark.length)}</Text>
        <Text {...paint.dim}>{row.middle}</Text>
        {row.gap}
        <Text {...paint.dim}>{row.right}</Text>
      </Text>
      {r.note ? (
        <Box paddingLeft={4}>
          <Text {...paint.dim}>{r.note}</Text>
        </Box>
      ) : null}
      {r.status === 'failed' ? <Failure file={item.file} report={r} paint={paint} /> : null}
    </Box>
  );
}

function Failure({ file, report, paint }: { file: string; report: Extract<StaticItem, { type: 'step' }>['report']; paint: Paint }) {
  return (
    <Box flexDirection="column" paddingLeft={4} marginBottom={1}>
      <Text {...paint('cyan')}>{location(file, report)}</Text>
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

function Running({ step, multi, paint, frame, now, columns }: { step: RunningStep; multi: boolean; paint: Paint; frame: string; now: number; columns: number }) {
  const elapsed = formatDuration(Math.max(0, now - step.startedAt));
  const limit = step.limitMs > 0 ? ` / ${formatDuration(step.limitMs)}` : '';
  const attempt = step.attempt > 1 ? `, attempt ${step.attempt}` : '';
  // On a narrow terminal the limit, then the attempt, give way before the command does.
  const row = fitRow(`${frame} ${label(step.file, step.index, step.kind, multi)} `, oneLine(step.command), [`${elapsed}${limit}${attempt}`, `${elapsed}${attempt}`, elapsed], columns);
  const indented = (text: string) => truncate(text, Math.max(0, columns - 4));
  return (
    <Box flexDirection="column">
      <Text>
        <Text {...paint('cyan')}>{row.left.slice(0, frame.length)}</Text>
        <Text>{row.left.slice(frame.length)}</Text>
        <Text>{row.middle}</Text>
        {row.gap}
        <Text {...paint.dim}>{row.right}</Text>
      </Text>
      {step.progress ? (
        <Box paddingLeft={4}>
          <Text {...paint('yellow')}>{indented(firstLine(step.progress))}</Text>
        </Box>
      ) : null}
      {step.tail.map((line, i) => (
        <Box key={i} paddingLeft={4}>
          <Text {...paint.dim}>{indented(`│ ${line.replace(/\t/g, ' ')}`)}</Text>
        </Box>
      ))}
    </Box>
  );
}
