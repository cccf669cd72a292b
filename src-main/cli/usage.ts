/** The whole help text: short enough to read at once, so every command is on one screen. */
export const USAGE = `Usage: neurosphere <command> [options]

Commands:
  import <paths...> [--patient ID] [--json]
      Import DICOM, PNG and JPEG files and folders (waits for the import job;
      Ctrl-C cancels it). --patient attaches the images to a patient (id or MRN).
  analyze <paths...> [--scan ID] [--model M] [--classifier C|none] [--force] [--out D] [--report D] [--json]
      Import what is not imported yet, then find, measure and classify tumours in
      each scan, one job at a time (Ctrl-C cancels). --scan ID (repeatable) analyses
      an imported scan. M: segmentation model (default: the one its manifest marks default); C: tumour-type
      model (likewise), none to skip it. --out D writes for each
      input <name>_mask.png (2D) or <name>_mask.nii.gz (volumes, the input's geometry)
      with values 0 and 1 (not 0/255), and the classified slice's <name>_heatmap.png
      and <name>_overlay.png; <name>: the input file's name, or a series' folder.
      PNG/JPEG pictures of one size in one folder are taken as slices of one series:
      their intensities are normalised together, as the model was trained.
      An input the model does not read (e.g. a chest radiograph for the brain model)
      is reported "not applicable" and not analysed; --force analyses it anyway,
      with a warning on the result. --report D writes each analysed scan's report
      as <name>_report.pdf (its newest version, else a new draft).
      Exit 1 if any input failed or was rejected.
  report <scan-id> [--out FILE|DIR] [--dicom D] [--json]
      Write the scan's report as PDF: its newest version (drafts marked DRAFT), else
      a new draft from its latest analysis. Sign reports in the app. Without --out,
      or with a folder, the file is named after the patient and the version.
      --dicom D also writes the results for a PACS into folder D, as export-dicom
      does, with this report as an Encapsulated PDF (report.dcm).
  scans list [--status S] [--search T] [--page N] [--limit N] [--json]
      List scans, newest first. S: imported, queued, processing, completed, failed.
  scans show <id> [--json]
      One scan with its study, series, instances and files.
  export-dicom <scan-id> --out D [--report-pdf F] [--json]
      Write the scan's latest analysis as DICOM for a PACS into folder D: the mask
      as a Segmentation (segmentation.dcm) in the scan's study, one Secondary
      Capture per slice with a lesion (overlay-NNNN.dcm, outline burned in) and,
      with --report-pdf, the PDF F as an Encapsulated PDF (report.dcm).
  patients list [--search T] [--page N] [--limit N] [--json]
      List patients.
  users add --username U --role R --password-stdin [--display-name N]
      Create an account; the password is read from stdin.
      R: admin, radiologist, technologist, viewer.
  jobs list [--status S] [--page N] [--limit N] [--json]
      List jobs, newest first. S: pending, processing, completed, failed, cancelled.
  audit verify [--json]
      Check the audit trail's keyed hash chain; list every broken link, rows
      deleted from the end included. Exit status 1 when it is broken.
  serve [--host H] [--port N] [--no-auto-analyse]
      Serve the app, the API and events over HTTP (default 127.0.0.1:7878).
      Every imported scan is analysed automatically unless --no-auto-analyse.
      Jobs interrupted by a crash are resumed when serve, import, analyze or the app starts.

Options for every command:
  --data-dir D    Data folder (default: $NEUROSPHERE_DATA_DIR, else the OS's app data folder)
  --help, -h      Show this help
  --version, -v   Show the version

Environment:
  NEUROSPHERE_DATA_DIR     Data folder (as --data-dir)
  NEUROSPHERE_MODELS_DIR   Folder of AI models (default: the app's models/ folder)
  NEUROSPHERE_DEBUG=1      Show the details of unexpected errors
  NEUROSPHERE_AUDIT_KEY_FILE  Keep the audit key in this file (0600, outside the data
                           folder) instead of the OS keychain (docs/audit.md)

Exit status: 0 done, 1 failed, 2 usage error, 130 interrupted (Ctrl-C).
`;
