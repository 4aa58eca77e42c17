import {
  DssReferenceError,
  DssSyntaxError,
  GridTierError,
  InvalidValueError,
  type SourceLocation,
  UnsupportedFeatureError,
} from '../../errors/index.js';
import {
  type AnyClassDef,
  type ControlMode,
  DssCircuitState,
  dssClasses,
  knownUnsupportedClasses,
  type SolveMode,
} from './circuit-state.js';
import { type DssObject, type EditContext, findProperty } from './class-def.js';
import type { GeneratorObj } from './classes/generator.js';
import { type LineObj, parseEarthModel } from './classes/line.js';
import type { LoadShapeObj } from './classes/loadshape.js';
import type { MonitorObj } from './classes/monitor.js';
import type { VsourceObj } from './classes/vsource.js';
import { type Param, parseCommand, splitScript } from './lexer.js';
import { resolveSetOption } from './set-options.js';
import { parseNumber, ValueReader } from './values.js';

/** Where scripts come from; the Node implementation reads files, tests can serve strings. */
export interface ScriptHost {
  readText(path: string): string;
  resolve(fromDir: string, path: string): string;
  dirname(path: string): string;
  exists(path: string): boolean;
  /** The existing file whose path differs from `path` only in letter case, if any. */
  findCaseInsensitive?(path: string): string | undefined;
  /** Binary data files (single- and double-precision load shapes). */
  readBytes?(path: string): Uint8Array;
}

/** What the commands that need a network solution call; the power flow provides them. */
export interface SolutionHooks {
  solve(state: DssCircuitState, location: SourceLocation): void;
  calcVoltageBases(state: DssCircuitState, location: SourceLocation): void;
}

/** Classes whose edits change the network a solve builds; controls are rebuilt at every solve. */
const networkClasses = new Set([
  'Vsource',
  'Line',
  'Transformer',
  'Capacitor',
  'Reactor',
  'Load',
  'Generator',
  'PVSystem',
  'Storage',
  'Fault',
]);

const supportedCommands = [
  'new',
  'edit',
  'more',
  'm',
  '~',
  'solve',
  'enable',
  'disable',
  'compile',
  'set',
  'open',
  'close',
  'redirect',
  'clear',
  'calcvoltagebases',
  'buscoords',
  'latlongcoords',
  'setbusxy',
  'batchedit',
  'clearall',
  'makebuslist',
  'setkvbase',
] as const;
type Command = (typeof supportedCommands)[number] | 'report';

/**
 * OpenDSS commands that only report, plot or export. They cannot change a solution, so a
 * script keeps running and each one is listed in the warnings (GridTier prints its own results).
 */
const outputCommands = [
  'show',
  'export',
  'plot',
  'visualize',
  'dump',
  'save',
  'summary',
  'help',
  'about',
  'fileedit',
  'interpolate',
  'rotate',
  'alignfile',
  'get',
  'closedi',
  // waits for parallel actors to finish; with one circuit there is nothing to wait for
  'wait',
];

/**
 * Executes OpenDSS scripts command by command, in order, building a DssCircuitState.
 * Every error names the file and line of the command that caused it.
 */
export class DssInterpreter {
  state: DssCircuitState | undefined;
  private cwd: string;
  private readonly stack: string[] = [];
  /** Set DefaultBaseFrequency holds before any circuit exists and survives Clear, as in OpenDSS */
  private defaultBaseFrequencyHz = 60;
  /** commands that were read but have no effect on a solution, with where they stand */
  readonly warnings: { message: string; location: SourceLocation }[] = [];

  private warn(message: string, location: SourceLocation): void {
    this.warnings.push({ message, location });
  }

  constructor(
    private readonly host: ScriptHost,
    private readonly hooks: SolutionHooks,
    cwd = '.',
  ) {
    this.cwd = cwd;
  }

  /** Runs a script file as `Compile` would: its directory becomes the current one. */
  compileFile(path: string, location?: SourceLocation): void {
    this.runFile(path, location, true);
  }

  runText(text: string, file: string): void {
    for (const line of splitScript(text)) {
      const location = { file, line: line.line };
      this.execute(parseCommand(line.text, location));
    }
  }

  private runFile(path: string, location: SourceLocation | undefined, keepDir: boolean): void {
    let full = this.host.resolve(this.cwd, path);
    // OpenDSS tries "name.dss" when a name without any dot is not found
    if (!this.host.exists(full) && !path.includes('.')) full = this.host.resolve(this.cwd, `${path}.dss`);
    // scripts written on Windows do not care about the case of file names
    if (!this.host.exists(full)) full = this.host.findCaseInsensitive?.(full) ?? full;
    if (!this.host.exists(full)) {
      throw new DssReferenceError(`script file not found: ${path}`, { location, details: { path: full } });
    }
    if (this.stack.includes(full)) {
      throw new DssSyntaxError(`script redirects to itself: ${path}`, { location });
    }
    const saved = this.cwd;
    this.cwd = this.host.dirname(full);
    this.stack.push(full);
    try {
      this.runText(this.host.readText(full), full);
    } finally {
      this.stack.pop();
      if (!keepDir) this.cwd = saved;
    }
  }

  private execute(cmd: ReturnType<typeof parseCommand>): void {
    const loc = cmd.location;
    if (cmd.verb === '') {
      this.implicitEdit(cmd.params, loc);
      return;
    }
    const verb = resolveCommand(cmd.verb, loc);
    switch (verb) {
      case 'report':
        this.warn(
          `skipped "${[cmd.verb, ...cmd.params.map((p) => p.value)].join(' ')}": reports come from gridtier's own outputs`,
          loc,
        );
        return;
      case 'clear':
      case 'clearall':
        this.state = undefined;
        return;
      case 'makebuslist':
        // GridTier numbers buses when it builds the network; the list needs no separate step
        this.requireState(loc);
        return;
      case 'batchedit':
        this.doBatchEdit(cmd.params, loc);
        return;
      case 'setbusxy':
        this.doSetBusXY(cmd.params, loc);
        return;
      case 'setkvbase':
        this.doSetKvBase(cmd.params, loc);
        return;
      case 'latlongcoords':
        this.doBusCoords(cmd.params, loc, true);
        return;
      case 'new':
        this.doNew(cmd.params, loc);
        return;
      case 'edit':
        this.doEdit(cmd.params, loc);
        return;
      case 'more':
      case 'm':
      case '~':
        this.applyToActive(cmd.params, loc);
        return;
      case 'redirect':
      case 'compile': {
        const file = cmd.params[0];
        if (!file) throw new DssSyntaxError(`${verb} needs a file name`, { location: loc });
        this.runFile(file.value, loc, verb === 'compile');
        return;
      }
      case 'set':
        this.doSet(cmd.params, loc);
        return;
      case 'solve':
        this.doSet(cmd.params, loc);
        this.hooks.solve(this.requireState(loc), loc);
        return;
      case 'calcvoltagebases':
        this.hooks.calcVoltageBases(this.requireState(loc), loc);
        return;
      case 'buscoords':
        this.doBusCoords(cmd.params, loc);
        return;
      case 'open':
      case 'close':
        this.doOpenClose(verb, cmd.params, loc);
        return;
      case 'enable':
      case 'disable': {
        const target = cmd.params[0]?.value;
        if (!target) throw new DssSyntaxError(`${verb} needs an element`, { location: loc });
        this.findObject(target, loc).enabled = verb === 'enable';
        this.requireState(loc).version++;
        return;
      }
    }
  }

  /** Where objects live: the circuit, or before New Circuit a store for general objects only. */
  private objectStore(): DssCircuitState {
    if (!this.state) {
      this.state = new DssCircuitState('', false);
      this.state.options.defaultBaseFrequency = this.defaultBaseFrequencyHz;
    }
    return this.state;
  }

  requireState(loc: SourceLocation): DssCircuitState {
    if (!this.state?.circuitDefined) {
      throw new DssReferenceError('no circuit is defined yet: a script must start with New Circuit.<name>', {
        location: loc,
      });
    }
    return this.state;
  }

  private splitClassName(text: string, loc: SourceLocation): { def: AnyClassDef | 'circuit'; name: string } {
    const dot = text.indexOf('.');
    if (dot <= 0 || dot === text.length - 1) {
      throw new DssSyntaxError(`expected Class.name, found "${text}"`, { location: loc });
    }
    const cls = text.slice(0, dot).toLowerCase();
    const name = text.slice(dot + 1).toLowerCase();
    if (cls === 'circuit') return { def: 'circuit', name };
    return { def: resolveClass(cls, loc), name };
  }

  private doNew(params: Param[], loc: SourceLocation): void {
    let rest = params;
    let target: string | undefined;
    if (rest[0]?.name?.toLowerCase() === 'object') {
      target = rest[0].value;
      rest = rest.slice(1);
    } else if (rest[0] && rest[0].name === undefined) {
      target = rest[0].value;
      rest = rest.slice(1);
    }
    if (!target) throw new DssSyntaxError('New needs Class.name', { location: loc });
    const { def, name } = this.splitClassName(target, loc);
    if (def === 'circuit') {
      const before = this.state;
      this.state = new DssCircuitState(name);
      // codes, shapes and wire data are global in OpenDSS: defined before, they serve this circuit
      if (before) this.state.adoptGeneralObjects(before);
      this.state.options.defaultBaseFrequency = this.defaultBaseFrequencyHz;
      const src = dssClasses.get('vsource')!.create('source', loc) as VsourceObj;
      src.frequency = this.defaultBaseFrequencyHz;
      this.state.objects.get('vsource')!.set('source', src);
      this.state.created.push(src);
      this.state.objects.get('loadshape')!.set('default', defaultLoadShape(loc));
      this.state.activeElement = src;
      this.applyProps(src, rest, loc);
      return;
    }
    const state = def.general ? this.objectStore() : this.requireState(loc);
    const table = state.objects.get(def.name.toLowerCase())!;
    const existing = table.get(name);
    if (existing) {
      // OpenDSS warns and redefines: the object is edited in place with the new properties
      this.warn(`${def.name}.${name} was defined before; New redefines it (edited in place)`, loc);
      state.activeElement = existing;
      this.applyProps(existing, rest, loc);
      return;
    }
    const obj = def.create(name, loc) as DssObject;
    // impedance data starts at the circuit's frequency (b1/b0 convert with it)
    if ('baseFreq' in obj) obj.baseFreq = state.options.defaultBaseFrequency;
    table.set(name, obj);
    state.created.push(obj);
    state.activeElement = obj;
    this.applyProps(obj, rest, loc);
  }

  private doEdit(params: Param[], loc: SourceLocation): void {
    const first = params[0];
    if (!first || first.name !== undefined)
      throw new DssSyntaxError('Edit needs Class.name', { location: loc });
    const obj = this.findObject(first.value, loc);
    this.objectStore().activeElement = obj;
    this.applyProps(obj, params.slice(1), loc);
  }

  /** `Class.name.property=value [more properties]` */
  private implicitEdit(params: Param[], loc: SourceLocation): void {
    const first = params[0];
    // a line that is only a value ("[]", "{}4"): neither a command nor Class.name.property=value
    if (first?.name === undefined)
      throw new DssReferenceError(
        `unknown command: the line begins with a value${first?.value ? ` "${first.value}"` : ''}, not a command or Class.name.property=value`,
        { location: loc },
      );
    const text = first.name;
    const last = text.lastIndexOf('.');
    if (last <= 0) throw new DssReferenceError(`unknown command "${text}"`, { location: loc });
    const obj = this.findObject(text.slice(0, last), loc);
    this.objectStore().activeElement = obj;
    const props: Param[] = [
      { name: text.slice(last + 1), value: first.value, quote: first.quote },
      ...params.slice(1),
    ];
    this.applyProps(obj, props, loc);
  }

  private applyToActive(params: Param[], loc: SourceLocation): void {
    const obj = this.state?.activeElement;
    if (!obj) throw new DssReferenceError('"~" continues an object, but none is active', { location: loc });
    this.applyProps(obj, params, loc);
  }

  findObject(text: string, loc: SourceLocation): DssObject {
    const { def, name } = this.splitClassName(text, loc);
    const state = def !== 'circuit' && def.general ? this.objectStore() : this.requireState(loc);
    const cls = def === 'circuit' ? 'vsource' : def.name.toLowerCase();
    const key = def === 'circuit' ? 'source' : name;
    const obj = state.objects.get(cls)?.get(key);
    if (!obj)
      throw new DssReferenceError(`${text} is not defined`, { location: loc, details: { element: text } });
    return obj;
  }

  private applyProps(obj: DssObject, params: Param[], loc: SourceLocation): void {
    const def = dssClasses.get(obj.className.toLowerCase())!;
    const ctx = this.editContext(loc);
    const where = { ...loc, element: `${def.name}.${obj.name}` };
    let position = -1;
    for (const p of params) {
      let index: number;
      let propName: string;
      if (p.name === undefined) {
        index = position + 1;
        if (index >= def.props.length) {
          throw new DssSyntaxError(`too many positional values for ${def.name}.${obj.name}: "${p.value}"`, {
            location: loc,
          });
        }
        propName = def.props[index].name;
      } else {
        const found = findProperty(def, p.name, loc);
        if (found.prop === undefined) {
          this.copyLike(def, obj, p.value, loc);
          continue;
        }
        index = found.index;
        propName = found.prop.name;
      }
      position = index;
      const reader = new ValueReader(p, propName, where);
      try {
        def.props[index].set(obj, reader, ctx);
      } catch (e) {
        if (e instanceof GridTierError) throw e;
        throw new InvalidValueError(
          `${def.name}.${obj.name} ${propName}=${p.value}: ${(e as Error).message}`,
          {
            location: loc,
            cause: e,
          },
        );
      }
    }
    def.endEdit?.(obj, ctx);
    if (this.state && networkClasses.has(obj.className)) this.state.version++;
  }

  /** `like=name`: copies what OpenDSS's like copies from another object of the same class. */
  private copyLike(def: AnyClassDef, obj: DssObject, name: string, loc: SourceLocation): void {
    const src = this.objectStore().get(def.name, name);
    if (!src)
      throw new DssReferenceError(`like=${name}: ${def.name}.${name} is not defined`, {
        location: loc,
      });
    def.like(obj, src);
  }

  /** A data file's path, relative to the current script folder, found whatever its letter case. */
  private dataFile(name: string, location: SourceLocation): string {
    const clean = name
      .trim()
      .replace(/^["']|["']$/g, '')
      .replaceAll('\\', '/');
    let full = this.host.resolve(this.cwd, clean);
    if (!this.host.exists(full)) full = this.host.findCaseInsensitive?.(full) ?? full;
    if (!this.host.exists(full))
      throw new DssReferenceError(`data file not found: ${name}`, { location, details: { path: full } });
    return full;
  }

  private editContext(location: SourceLocation): EditContext {
    return {
      location,
      baseFrequencyHz: this.state?.options.defaultBaseFrequency ?? this.defaultBaseFrequencyHz,
      readText: (name) => {
        const path = this.dataFile(name, location);
        return { path, text: this.host.readText(path) };
      },
      readBytes: (name) => {
        const path = this.dataFile(name, location);
        if (!this.host.readBytes)
          throw new UnsupportedFeatureError(`binary data file ${name}: this host reads text only`, {
            location,
          });
        return { path, bytes: this.host.readBytes(path) };
      },
      lookup: <T>(className: string, name: string, property: string): T => {
        const obj = this.objectStore().get<DssObject>(className, name);
        if (!obj) {
          throw new DssReferenceError(`${property}=${name}: ${className}.${name} is not defined`, {
            location,
            details: { property, className, name },
          });
        }
        return obj as T;
      },
    };
  }

  private doSet(params: Param[], loc: SourceLocation): void {
    const state = this.state;
    let previous: string | undefined;
    for (const p of params) {
      const resolved = resolveSetOption(p.name, previous, loc);
      previous = resolved.name;
      if (resolved.kind === 'report') {
        this.warn(`skipped Set ${resolved.name}=${p.value}: it only draws, logs or names report files`, loc);
        continue;
      }
      const option = resolved.name;
      const v = new ValueReader(p, option, loc);
      if (option === 'datapath') {
        // later relative file names resolve against the data path, as in OpenDSS
        this.cwd = this.host.resolve(this.cwd, p.value);
        continue;
      }
      if (option === 'editor') continue;
      // one actor, the first: parallel=no and activeactor=1 are what GridTier does anyway
      if (option === 'parallel') {
        if (v.boolean()) throw parallelActors(`Set parallel=${p.value}`, loc);
        continue;
      }
      if (option === 'activeactor') {
        if (p.value.trim() !== '1') throw parallelActors(`Set activeactor=${p.value}`, loc);
        continue;
      }
      if (option === 'defaultbasefrequency') {
        this.defaultBaseFrequencyHz = v.frequencyHz();
        if (state) {
          state.options.defaultBaseFrequency = this.defaultBaseFrequencyHz;
          state.version++;
        }
        continue;
      }
      const s = this.requireState(loc);
      switch (option) {
        case 'voltagebases':
          s.options.voltageBases = v.numberArray();
          break;
        case 'controlmode':
          s.options.controlMode = parseControlMode(p.value, loc);
          break;
        case 'maxcontroliter':
          s.options.maxControlIter = v.integer(1);
          break;
        case 'maxiterations':
          s.options.maxIterations = v.integer(1);
          break;
        case 'miniterations':
          s.options.minIterations = v.integer(1);
          break;
        case 'tolerance':
          s.options.tolerance = v.positive();
          break;
        case 'earthmodel':
          s.options.earthModel = parseEarthModel(p.value, loc);
          s.version++;
          break;
        case 'loadmult':
          s.options.loadMult = v.nonNegative();
          s.version++;
          break;
        case 'year':
          // Year 1 is the base year (growth factor 1) and resets the meters; later years grow loads
          if (v.integer(0) > 1)
            throw new UnsupportedFeatureError(`year=${p.value}: load growth over the years is not modelled`, {
              location: loc,
            });
          break;
        case 'hour':
          s.options.clock.hour = v.integer(0);
          break;
        case 'sec':
          s.options.clock.sec = v.nonNegative();
          break;
        case 'number':
          s.options.clock.number = v.integer(1);
          break;
        case 'stepsize':
          s.options.clock.stepSec = parseDuration(p.value, loc);
          break;
        case 'h':
          s.options.clock.stepSec = v.positive();
          break;
        case 'basefrequency':
          // the circuit's fundamental: its elements are solved at this frequency from now on
          s.options.defaultBaseFrequency = v.frequencyHz();
          s.version++;
          break;
        case 'genmult':
          s.options.genMult = v.nonNegative();
          s.version++;
          break;
        case 'mode':
          setMode(s, parseMode(p.value, loc));
          break;
        case 'algorithm':
          // OpenDSS compares over the shorter length: "n" is Normal, "NCIM" and "Newton" are not
          if (!shortestMatch(p.value, 'normal'))
            throw new UnsupportedFeatureError(
              `algorithm=${p.value}: only the normal (fixed-point current injection) algorithm is supported`,
              { location: loc, details: { option: 'algorithm', value: p.value } },
            );
          break;
        case 'normvminpu':
          s.options.voltageLimitsPu.normMin = v.positive();
          break;
        case 'normvmaxpu':
          s.options.voltageLimitsPu.normMax = v.positive();
          break;
        case 'emergvminpu':
          s.options.voltageLimitsPu.emergMin = v.positive();
          break;
        case 'emergvmaxpu':
          s.options.voltageLimitsPu.emergMax = v.positive();
          break;
        default: {
          // every solving option is handled above (datapath, editor and the base frequency before)
          const unhandled: 'datapath' | 'editor' | 'defaultbasefrequency' = option;
          throw new UnsupportedFeatureError(`Set ${unhandled} is not supported here`, { location: loc });
        }
      }
    }
  }

  /** `BatchEdit Class.pattern prop=value …`: edits every object whose name the regular expression matches. */
  private doBatchEdit(params: Param[], loc: SourceLocation): void {
    const first = params[0];
    if (!first || first.name !== undefined)
      throw new DssSyntaxError('BatchEdit needs Class.pattern', { location: loc });
    const dot = first.value.indexOf('.');
    if (dot <= 0)
      throw new DssSyntaxError(`BatchEdit: expected Class.pattern, found "${first.value}"`, {
        location: loc,
      });
    const def = resolveClass(first.value.slice(0, dot).toLowerCase(), loc);
    let pattern: RegExp;
    try {
      pattern = new RegExp(first.value.slice(dot + 1), 'i');
    } catch (e) {
      throw new DssSyntaxError(`BatchEdit: "${first.value.slice(dot + 1)}" is not a regular expression`, {
        location: loc,
        cause: e,
      });
    }
    const store = def.general ? this.objectStore() : this.requireState(loc);
    for (const obj of store.objects.get(def.name.toLowerCase())!.values())
      if (pattern.test(obj.name)) {
        store.activeElement = obj;
        this.applyProps(obj, params.slice(1), loc);
      }
  }

  /** Named or positional values of a command, in the order its parameters are listed. */
  private commandArgs(
    params: Param[],
    names: string[],
    loc: SourceLocation,
    verb: string,
  ): Map<string, Param> {
    const out = new Map<string, Param>();
    let next = 0;
    for (const p of params) {
      const key = p.name === undefined ? names[next] : names.find((n) => n.startsWith(p.name!.toLowerCase()));
      if (key === undefined)
        throw new DssSyntaxError(
          `${verb}: unexpected "${p.name ?? p.value}" (parameters: ${names.join(', ')})`,
          {
            location: loc,
          },
        );
      out.set(key, p);
      next = names.indexOf(key) + 1;
    }
    return out;
  }

  /** `SetBusXY bus=name X=x Y=y`: one bus's coordinates. */
  private doSetBusXY(params: Param[], loc: SourceLocation): void {
    const args = this.commandArgs(params, ['bus', 'x', 'y'], loc, 'SetBusXY');
    const bus = args.get('bus')?.value;
    if (!bus) throw new DssSyntaxError('SetBusXY needs bus=', { location: loc });
    const num = (k: string) => (args.has(k) ? new ValueReader(args.get(k)!, k, loc).number() : 0);
    this.requireState(loc).busCoords.set(bus.split('.')[0].toLowerCase(), { x: num('x'), y: num('y') });
  }

  /** `SetkVBase bus=name kVLL=… | kVLN=…`: one bus's voltage base (CalcVoltageBases sets all again). */
  private doSetKvBase(params: Param[], loc: SourceLocation): void {
    const args = this.commandArgs(params, ['bus', 'kvll', 'kvln'], loc, 'SetkVBase');
    const bus = args.get('bus')?.value;
    if (!bus) throw new DssSyntaxError('SetkVBase needs bus=', { location: loc });
    const ll = args.get('kvll');
    const ln = args.get('kvln');
    if (!ll && !ln) throw new DssSyntaxError('SetkVBase needs kVLL= or kVLN=', { location: loc });
    const kvLn = ln
      ? new ValueReader(ln, 'kvln', loc).positive()
      : new ValueReader(ll!, 'kvll', loc).positive() / Math.sqrt(3);
    this.requireState(loc).busBaseKvLn.set(bus.split('.')[0].toLowerCase(), kvLn);
  }

  private doBusCoords(params: Param[], loc: SourceLocation, latLong = false): void {
    const state = this.requireState(loc);
    const file = params[0]?.value;
    if (!file) throw new DssSyntaxError('BusCoords needs a file name', { location: loc });
    let full = this.host.resolve(this.cwd, file);
    if (!this.host.exists(full)) full = this.host.findCaseInsensitive?.(full) ?? full;
    if (!this.host.exists(full))
      throw new DssReferenceError(`bus coordinate file not found: ${file}`, { location: loc });
    const lines = splitScript(this.host.readText(full));
    for (const line of lines) {
      // a line without a bus name names no bus: OpenDSS finds no such bus and skips it
      if (/^\s*,/.test(line.text)) continue;
      const parts = line.text.split(/[\s,]+/).filter((x) => x.length > 0);
      const x = parts.length >= 3 ? parseNumber(parts[1]) : undefined;
      const y = parts.length >= 3 ? parseNumber(parts[2]) : undefined;
      if (x === undefined || y === undefined) {
        throw new DssSyntaxError(`expected "bus, x, y", found "${line.text}"`, {
          location: { file: full, line: line.line },
        });
      }
      // LatLongCoords lists latitude then longitude: y, then x
      state.busCoords.set(parts[0].toLowerCase(), latLong ? { x: y, y: x } : { x, y });
    }
  }

  private doOpenClose(verb: 'open' | 'close', params: Param[], loc: SourceLocation): void {
    const target = params.find((p) => p.name === undefined || p.name.toLowerCase() === 'object');
    if (!target) throw new DssSyntaxError(`${verb} needs an element`, { location: loc });
    const obj = this.findObject(target.value, loc);
    if (obj.className !== 'Line') {
      throw new UnsupportedFeatureError(`${verb} is supported for lines and switches, not ${obj.className}`, {
        location: loc,
      });
    }
    const termParam = params.find(
      (p) => p.name?.toLowerCase() === 'term' || p.name?.toLowerCase() === 'terminal',
    );
    const term = termParam ? new ValueReader(termParam, 'terminal', loc).integer(1, 2) : 1;
    if (params.some((p) => p.name?.toLowerCase().startsWith('cond'))) {
      throw new UnsupportedFeatureError('opening single conductors is not supported; open the terminal', {
        location: loc,
      });
    }
    const line = obj as LineObj;
    if (verb === 'open') line.openTerminals.add(term);
    else line.openTerminals.delete(term);
    this.requireState(loc).version++;
  }
}

/** OpenDSS creates a daily shape named "default" with every circuit; scripts may refer to it. */
function defaultLoadShape(loc: SourceLocation): LoadShapeObj {
  const shape = dssClasses.get('loadshape')!.create('default', loc) as LoadShapeObj;
  shape.npts = 24;
  shape.pMult = [
    0.677, 0.6256, 0.6087, 0.5833, 0.58028, 0.6025, 0.657, 0.7477, 0.832, 0.88, 0.94, 0.989, 0.985, 0.98,
    0.9898, 0.999, 1, 0.958, 0.936, 0.913, 0.876, 0.876, 0.828, 0.756,
  ];
  return shape;
}

/** OpenDSS-C's actors run copies of a circuit in parallel; GridTier solves one circuit per run. */
function parallelActors(what: string, loc: SourceLocation): UnsupportedFeatureError {
  return new UnsupportedFeatureError(
    `${what}: parallel actors (NewActor, Clone, SolveAll, ActiveActor) are not supported; a script runs one circuit`,
    { location: loc, details: { feature: 'actors' } },
  );
}

const actorCommands = ['newactor', 'clone', 'solveall'];

function resolveCommand(verb: string, loc: SourceLocation): Command {
  const v = verb.toLowerCase();
  if (actorCommands.includes(v)) throw parallelActors(verb, loc);
  const exact = (supportedCommands as readonly string[]).find((c) => c === v);
  if (exact) return exact as Command;
  if (outputCommands.some((c) => c.startsWith(v) || v.startsWith(c))) return 'report';
  const prefix = (supportedCommands as readonly string[]).find(
    (c) => c.length > 1 && c.startsWith(v) && v.length >= 3,
  );
  if (prefix) return prefix as Command;
  throw new DssReferenceError(`unknown or unsupported command "${verb}"`, {
    location: loc,
    details: { command: verb },
  });
}

/** OpenDSS's CompareTextShortest: equal over the length of the shorter text, ignoring case. */
function shortestMatch(text: string, name: string): boolean {
  const n = Math.min(text.length, name.length);
  return n > 0 && text.slice(0, n).toLowerCase() === name.slice(0, n).toLowerCase();
}

/** OpenDSS's solution modes GridTier runs; the rest are refused by name. */
function parseMode(value: string, loc: SourceLocation): SolveMode {
  const v = value.toLowerCase();
  if (v.startsWith('s')) return 'snapshot';
  if (v.startsWith('da')) return 'daily';
  if (v.startsWith('y')) return 'yearly';
  if (v.startsWith('du')) return 'duty';
  if (v.startsWith('di')) return 'direct';
  throw new UnsupportedFeatureError(
    `mode=${value}: supported modes are snapshot, direct, daily, yearly and dutycycle`,
    {
      location: loc,
      details: { option: 'mode', value },
    },
  );
}

/**
 * Setting a mode resets the clock and its defaults (and the control mode), empties every
 * monitor and makes the next solution start afresh (a model-3 generator's vars and dQ/dV
 * included), as OpenDSS's Set_Mode does.
 */
function setMode(s: DssCircuitState, mode: SolveMode): void {
  for (const m of s.all<MonitorObj>('Monitor')) m.record = { header: [], rows: [] };
  for (const g of s.all<GeneratorObj>('Generator')) g.pvState = undefined;
  s.startAfresh = true;
  const c = s.options.clock;
  s.options.mode = mode;
  c.hour = 0;
  c.sec = 0;
  s.options.controlMode = mode === 'duty' ? 'time' : 'static';
  if (mode === 'daily') Object.assign(c, { stepSec: 3600, number: 24 });
  else if (mode === 'yearly') Object.assign(c, { stepSec: 3600, number: 8760 });
  else if (mode === 'duty') c.stepSec = 1;
  else c.number = 1;
}

/** A step size: seconds, or with a unit suffix h, m or s (`1m`, `0.5h`). */
function parseDuration(text: string, loc: SourceLocation): number {
  const m = /^\s*([0-9.eE+-]+)\s*([hms]?)\s*$/i.exec(text);
  const x = m ? Number(m[1]) : Number.NaN;
  if (!m || !Number.isFinite(x) || x <= 0)
    throw new InvalidValueError(
      `stepsize=${text}: expected a positive duration (seconds, or with h, m or s)`,
      {
        location: loc,
      },
    );
  const unit = m[2].toLowerCase();
  return unit === 'h' ? x * 3600 : unit === 'm' ? x * 60 : x;
}

function parseControlMode(value: string, loc: SourceLocation): ControlMode {
  const v = value.toLowerCase();
  if (v.startsWith('s')) return 'static';
  if (v.startsWith('o')) return 'off';
  if (v.startsWith('t')) return 'time';
  throw new UnsupportedFeatureError(
    `controlmode=${value}: supported control modes are static, time and off`,
    {
      location: loc,
    },
  );
}

function resolveClass(cls: string, loc: SourceLocation): AnyClassDef {
  const def = dssClasses.get(cls);
  if (def) return def;
  const prefixed = [...dssClasses.values()].find((c) => c.name.toLowerCase().startsWith(cls));
  if (prefixed && cls.length >= 3) return prefixed;
  if (knownUnsupportedClasses.includes(cls)) {
    throw new UnsupportedFeatureError(`class ${cls} is not supported by GridTier's power flow`, {
      location: loc,
      details: { className: cls },
    });
  }
  throw new DssReferenceError(`unknown class "${cls}"`, { location: loc, details: { className: cls } });
}
