import type { ComponentChildren } from 'preact';

/** A plain table: a header row and rows of cells; numeric cells align right. */
export function Table({ head, rows, id }: { head: string[]; rows: ComponentChildren[][]; id?: string }) {
  return (
    <table class="data" data-table={id}>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j} class={typeof c === 'string' && /^[−-]?[\d.,]+$/.test(c) ? 'num' : undefined}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
