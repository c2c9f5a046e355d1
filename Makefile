# Thin wrapper over CMake: the README's two commands.
#   make demo   install missing packages, build Release, analyse sample_blots/ into results/
#   make test   install missing packages, build Release, run the whole test suite
#   make package  build densito_<version>_amd64.deb and a portable .tar.gz (CPack)
# CI=true turns warnings into errors.

BUILD_DIR ?= build/release
JOBS ?= $(shell nproc)
WERROR := $(if $(filter true 1 yes,$(CI)),ON,OFF)
CLI := $(BUILD_DIR)/src/cli/densito-cli

.PHONY: all deps configure build build-app demo test package gui clean

all: build

deps:
	@bash installer/install-deps.sh

# The configure presets of CMakePresets.json: "ci" (warnings as errors) under CI, else "release".
PRESET := $(if $(filter ON,$(WERROR)),ci,release)

configure: deps
	cmake --preset $(PRESET) -B $(BUILD_DIR)

build-app: configure
	cmake --build $(BUILD_DIR) -j$(JOBS) --target densito-cli densito

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

demo: build-app
	@echo "== Real blots: per image the strips, lanes and bands found, and whether it needs review"
	$(CLI) analyze sample_blots/real --out results/real
	@echo "Overlays (the lanes, bands and flags Densito drew on each image): results/real/overlays/"
	@echo "Tables: results/real/lanes.csv, results/real/bands.csv; reasons: results/real/run.json"
	@echo
	@echo "== The sample experiment (C2C12 cells, insulin x L-isoleucine; 3 membranes x 9 images)"
	$(CLI) analyze sample_blots/experiment --out results/experiment \
		--blots sample_blots/experiment/blots.csv --samples sample_blots/experiment/samples.csv \
		--factors insulin,isoleucine
	@echo
	@echo "The truth (sample_blots/experiment/README.md). Compare the fold change printed above"
	@echo "with the last column, 'From true volumes': the fold change the true band volumes give."
	@echo "'Designed' is what the generator aimed at; membrane1-3 are each membrane's true value."
	@echo "The second table is the truth of the 'interaction: insulin x isoleucine' rows."
	@sed -n '/^| Target/,/^$$/p' sample_blots/experiment/README.md
	@echo "Files: results/experiment/summary.csv, contrasts.csv, units.csv, prism/, results.xlsx, charts/"

test: build
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j$(JOBS)

package: build
	cd $(BUILD_DIR) && cpack

gui: build-app
	$(BUILD_DIR)/src/app/densito

clean:
	rm -rf build results
