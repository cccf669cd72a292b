// The part of pdfmake 0.3 (server build, CommonJS singleton) the report renderer uses; pdfmake
// ships no types. Document definitions are typed by the renderer itself (pdf-document.ts).
declare module 'pdfmake' {
  interface PdfMakeFontFiles {
    normal: string;
    bold: string;
    italics: string;
    bolditalics: string;
  }
  interface PdfMakeOutput {
    getBuffer(): Promise<Buffer>;
  }
  interface PdfMake {
    virtualfs: {
      writeFileSync(name: string, data: Buffer): void;
      existsSync(name: string): boolean;
    };
    setFonts(fonts: Record<string, PdfMakeFontFiles>): void;
    setUrlAccessPolicy(policy: (url: string) => boolean): void;
    setLocalAccessPolicy(policy: (path: string) => boolean): void;
    createPdf(definition: object): PdfMakeOutput;
  }
  const pdfmake: PdfMake;
  export default pdfmake;
}
