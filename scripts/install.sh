#!/usr/bin/env bash
# Installs everything Neurosphere needs on a fresh Debian 12 machine: the system packages
# (only those missing, so a second run takes seconds) and the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  chromium            # end-to-end tests of the renderer (Playwright drives Debian's Chromium)
  libsecret-1-dev     # keytar (OS keychain) builds against libsecret
  pkg-config
  dbus                # keytar talks to the Secret Service over D-Bus
  gnome-keyring
  poppler-utils       # pdftoppm: reports rendered back to PNG in tests
  dcmtk               # independent DICOM reference tool for the data suite
  dicom3tools         # dciodvfy: the DICOM SEG, overlays and Encapsulated PDF are validated in tests
  python3-pydicom     # an independent reader: tests decode the SEG back to the analysis mask
  python3-numpy       # (pydicom's pixel_array needs numpy)
  orthanc             # a real PACS on loopback for the DICOM networking and sync tests
  orthanc-dicomweb    # (its DICOMweb plugin: QIDO-RS, WADO-RS, STOW-RS)
  espeak-ng           # speaks radiology sentences for the voice-caption WER tests and bench:voice
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "System packages already installed."
fi

# onnxruntime-node's install script downloads CUDA files from a host that is not reachable
# offline; CPU support ships in the package (see .npmrc).
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
