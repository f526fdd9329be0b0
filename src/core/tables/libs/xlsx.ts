// exceljs, bundled on its own into dist/xlsx.js (over 1 MB) and loaded on first use (../libraries.ts).
export { Workbook, ValueType } from 'exceljs';
