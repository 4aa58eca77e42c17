import { describe, expect, it } from 'vitest';
import { dssClasses } from './circuit-state.js';
import { findProperty } from './class-def.js';

/**
 * Every class's property names in OpenDSS's own order (its legacy names, `pct` written `%`
 * where OpenDSS does, then the inherited ones and finally `like`). Abbreviations and positional
 * values follow this order, so it is the specification the tables must meet.
 */
const openDssOrder: Record<string, string> = {
  Vsource: [
    'bus1 basekv pu angle frequency phases mvasc3 mvasc1 x1r1 x0r0 isc3 isc1 r1 x1 r0 x0',
    'scantype sequence bus2 z1 z0 z2 puz1 puz0 puz2 basemva yearly daily duty model puzideal',
    'spectrum basefreq enabled like',
  ].join(' '),
  LineCode: [
    'nphases r1 x1 r0 x0 c1 c0 units rmatrix xmatrix cmatrix basefreq normamps emergamps',
    'faultrate pctperm repair kron rg xg rho neutral b1 b0 seasons ratings linetype like',
  ].join(' '),
  Line: [
    'bus1 bus2 linecode length phases r1 x1 r0 x0 c1 c0 rmatrix xmatrix cmatrix switch rg xg rho',
    'geometry units spacing wires earthmodel cncables tscables b1 b0 seasons ratings linetype',
    'normamps emergamps faultrate pctperm repair basefreq enabled like',
  ].join(' '),
  Transformer: [
    'phases windings wdg bus conn kv kva tap %r rneut xneut buses conns kvs kvas taps xhl xht',
    'xlt xscarray thermal n m flrise hsrise %loadloss %noloadloss normhkva emerghkva sub maxtap',
    'mintap numtaps subname %imag ppm_antifloat %rs bank xfmrcode xrconst x12 x13 x23 leadlag',
    'wdgcurrents core rdcohms seasons ratings normamps emergamps faultrate pctperm repair',
    'basefreq enabled like',
  ].join(' '),
  XfmrCode: [
    'phases windings wdg conn kv kva tap %r rneut xneut conns kvs kvas taps xhl xht xlt xscarray',
    'thermal n m flrise hsrise %loadloss %noloadloss normhkva emerghkva maxtap mintap numtaps',
    '%imag ppm_antifloat %rs x12 x13 x23 rdcohms seasons ratings like',
  ].join(' '),
  Capacitor: [
    'bus1 bus2 phases kvar kv conn cmatrix cuf r xl harm numsteps states normamps emergamps',
    'faultrate pctperm repair basefreq enabled like',
  ].join(' '),
  Reactor: [
    'bus1 bus2 phases kvar kv conn rmatrix xmatrix parallel r x rp z1 z2 z0 z rcurve lcurve lmh',
    'normamps emergamps faultrate pctperm repair basefreq enabled like',
  ].join(' '),
  Load: [
    'phases bus1 kv kw pf model yearly daily duty growth conn kvar rneut xneut status class',
    'vminpu vmaxpu vminnorm vminemerg xfkva allocationfactor kva %mean %stddev cvrwatts cvrvars',
    'kwh kwhdays cfactor cvrcurve numcust zipv %seriesrl relweight vlowpu puxharm xrharm',
    'spectrum basefreq enabled like',
  ].join(' '),
  RegControl: [
    'transformer winding vreg band ptratio ctprim r x bus delay reversible revvreg revband revr',
    'revx tapdelay debugtrace maxtapchange inversetime tapwinding vlimit ptphase revthreshold',
    'revdelay revneutral eventlog remoteptratio tapnum reset ldc_z rev_z cogen basefreq enabled',
    'like',
  ].join(' '),
  CapControl: [
    'element terminal capacitor type ptratio ctratio onsetting offsetting delay voltoverride',
    'vmax vmin delayoff deadtime ctphase ptphase vbus eventlog usermodel userdata pctminkvar',
    'reset controlsignal basefreq enabled like',
  ].join(' '),
  InvControl: [
    'derlist mode combimode vvc_curve1 hysteresis_offset voltage_curvex_ref avgwindowlen',
    'voltwatt_curve dbvmin dbvmax argralowv argrahiv dynreacavgwindowlen deltaq_factor',
    'voltagechangetolerance varchangetolerance voltwattyaxis rateofchangemode lpftau risefalllimit',
    'deltap_factor eventlog refreactivepower activepchangetolerance monvoltagecalc monbus',
    'monbusesvbase voltwattch_curve wattpf_curve wattvar_curve vv_refreactivepower pvsystemlist',
    'vsetpoint controlmodel basefreq enabled like',
  ].join(' '),
  XYcurve: 'npts points yarray xarray csvfile sngfile dblfile x y xshift yshift xscale yscale like',
  EnergyMeter: [
    'element terminal action option kvanormal kvaemerg peakcurrent zonelist localonly mask',
    'losses linelosses xfmrlosses seqlosses 3phaselosses vbaselosses phasevoltagereport int_rate',
    'int_duration saifi saifikw saidi caidi custinterrupts basefreq enabled like',
  ].join(' '),
  LoadShape: [
    'npts interval mult hour mean stddev csvfile sngfile dblfile action qmult useactual pmax',
    'qmax sinterval minterval pbase qbase pmult pqcsvfile memorymapping interpolation like',
  ].join(' '),
  WireData: [
    'rdc rac runits gmrac gmrunits radius radunits normamps emergamps diam seasons ratings',
    'capradius like',
  ].join(' '),
  LineSpacing: 'nconds nphases x h units like',
  CNData: [
    'k diastrand gmrstrand rstrand epsr inslayer diains diacable rdc rac runits gmrac gmrunits',
    'radius radunits normamps emergamps diam seasons ratings capradius like',
  ].join(' '),
  TSData: [
    'diashield tapelayer tapelap epsr inslayer diains diacable rdc rac runits gmrac gmrunits',
    'radius radunits normamps emergamps diam seasons ratings capradius like',
  ].join(' '),
  LineGeometry: [
    'nconds nphases cond wire x h units normamps emergamps reduce spacing wires cncable tscable',
    'cncables tscables seasons ratings linetype like',
  ].join(' '),
  Generator: [
    'phases bus1 kv kw pf kvar model vminpu vmaxpu yearly daily duty dispmode dispvalue conn',
    'status class vpu maxkvar minkvar pvfactor forceon kva mva xd xdp xdpp h d usermodel',
    'userdata shaftmodel shaftdata dutystart debugtrace balanced xrdp usefuel fuelkwh %fuel',
    '%reserve refuel dynamiceq dynout spectrum basefreq enabled like',
  ].join(' '),
  PVSystem: [
    'phases bus1 kv irradiance pmpp %pmpp temperature pf conn kvar kva %cutin %cutout effcurve',
    'p-tcurve %r %x model vminpu vmaxpu balanced limitcurrent yearly daily duty tyearly tdaily',
    'tduty class usermodel userdata debugtrace varfollowinverter dutystart wattpriority',
    'pfpriority %pminnovars %pminkvarmax kvarmax kvarmaxabs kvdc kp pitol safevoltage safemode',
    'dynamiceq dynout controlmode amplimit amplimitgain spectrum basefreq enabled like',
  ].join(' '),
  Fault: [
    'bus1 bus2 phases r %stddev gmatrix ontime temporary minamps normamps emergamps faultrate',
    'pctperm repair basefreq enabled like',
  ].join(' '),
  Storage: [
    'phases bus1 kv conn kw kvar pf kva %cutin %cutout effcurve varfollowinverter kvarmax',
    'kvarmaxabs wattpriority pfpriority %pminnovars %pminkvarmax kwrated %kwrated kwhrated',
    'kwhstored %stored %reserve state %discharge %charge %effcharge %effdischarge %idlingkw',
    '%idlingkvar %r %x model vminpu vmaxpu balanced limitcurrent yearly daily duty dispmode',
    'dischargetrigger chargetrigger timechargetrig class dynadll dynadata usermodel userdata',
    'debugtrace kvdc kp pitol safevoltage safemode dynamiceq dynout controlmode amplimit',
    'amplimitgain spectrum basefreq enabled like',
  ].join(' '),
};

/**
 * OpenDSS's resolution, written independently of the implementation: every full name first,
 * then each prefix of each name in property order, a prefix going to the first that claims it.
 */
function openDssAbbreviations(names: string[]): Map<string, number> {
  const table = new Map<string, number>();
  names.forEach((n, i) => {
    if (!table.has(n)) table.set(n, i);
  });
  names.forEach((n, i) => {
    for (let k = 1; k < n.length; k++) if (!table.has(n.slice(0, k))) table.set(n.slice(0, k), i);
  });
  return table;
}

describe('property names resolve as OpenDSS resolves them', () => {
  for (const [className, order] of Object.entries(openDssOrder)) {
    const names = order.split(' ');
    const def = dssClasses.get(className.toLowerCase())!;

    it(`${className}: every property, in OpenDSS's order`, () => {
      expect([...def.props.map((p) => p.name), 'like']).toEqual(names);
    });

    it(`${className}: every name and its shortest prefix`, () => {
      const abbreviations = openDssAbbreviations(names);
      names.forEach((name, i) => {
        const shortest = [...abbreviations].find(([text, index]) => index === i && name.startsWith(text));
        for (const text of [name, name.toUpperCase(), shortest?.[0]].filter((t) => t !== undefined)) {
          const expected = abbreviations.get(text.toLowerCase())!;
          expect(findProperty(def, text, {}).index, `${className} "${text}"`).toBe(expected);
        }
      });
    });
  }

  it('Transformer r= and x= are Rneut and Xneut, as in OpenDSS', () => {
    const def = dssClasses.get('transformer')!;
    expect(def.props[findProperty(def, 'r', {}).index].name).toBe('rneut');
    expect(def.props[findProperty(def, 'x', {}).index].name).toBe('xneut');
    expect(def.props[findProperty(def, '%r', {}).index].name).toBe('%r');
    expect(def.props[findProperty(def, 'X12', {}).index].name).toBe('x12');
  });

  it('an unknown property is refused by name', () => {
    expect(() => findProperty(dssClasses.get('line')!, 'lenght', { file: 'a.dss', line: 3 })).toThrow(
      /lenght/,
    );
  });
});
