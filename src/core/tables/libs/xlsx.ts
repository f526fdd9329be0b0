// read-excel-file and write-excel-file, bundled on their own into dist/xlsx.js and loaded on first use
// (../libraries.ts). Their universal entries (ArrayBuffer in, Blob out) leave out the Node entries'
// stream unzipper: a fifth of the size.
export { readSheet, SheetNotFoundError } from 'read-excel-file/universal';
export { default as writeExcelFile } from 'write-excel-file/universal';
