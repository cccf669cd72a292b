/** The whole help text: short enough to read at once, so every command is on one screen. */
export const USAGE = `Usage: neurosphere <command> [options]

Commands:
  import <paths...> [--patient ID] [--json]
      Import DICOM, PNG and JPEG files and folders (waits for the import job;
      Ctrl-C cancels it). --patient attaches the images to a patient (id or MRN).
  scans list [--status S] [--search T] [--page N] [--limit N] [--json]
      List scans, newest first. S: imported, queued, processing, completed, failed.
  scans show <id> [--json]
      One scan with its study, series, instances and files.
  patients list [--search T] [--page N] [--limit N] [--json]
      List patients.
  users add --username U --role R --password-stdin [--display-name N]
      Create an account; the password is read from stdin.
      R: admin, radiologist, technologist, viewer.
  jobs list [--status S] [--page N] [--limit N] [--json]
      List jobs, newest first. S: pending, processing, completed, failed, cancelled.
  serve [--host H] [--port N]
      Serve the app, the API and events over HTTP (default 127.0.0.1:7878).
      Jobs interrupted by a crash are resumed when serve, import or the app starts.

Options for every command:
  --data-dir D    Data folder (default: $NEUROSPHERE_DATA_DIR, else the OS's app data folder)
  --help, -h      Show this help
  --version, -v   Show the version

Exit status: 0 done, 1 failed, 2 usage error, 130 interrupted (Ctrl-C).
`;
