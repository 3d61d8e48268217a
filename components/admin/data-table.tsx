import type { ReactNode } from "react";

export type Column<Row> = {
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Figures: right-aligned, so their digits line up. */
  number?: boolean;
  /** The cell that names what its row is about, read out before the others by screen readers. */
  rowHeader?: boolean;
};

type Props<Row> = {
  /** Says what the table lists; hidden unless `showCaption`, since the heading above usually says it too. */
  caption: string;
  showCaption?: boolean;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  testId?: string;
};

/**
 * The back office's tables: one header row, a caption, and a frame that scrolls sideways on a phone
 * rather than squeezing the columns; keyboard users can scroll it too, as a labelled region.
 */
export function DataTable<Row>({ caption, showCaption = false, columns, rows, rowKey, testId }: Props<Row>) {
  const align = (column: Column<Row>) => (column.number ? "number" : undefined);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="data-table" data-testid={testId}>
        <caption className={showCaption ? undefined : "visually-hidden"}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={align(column)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column, index) =>
                column.rowHeader ? (
                  <th key={index} scope="row" className={align(column)}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={index} className={align(column)}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
