# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "QNN"
# Run RUN lines with bash so tests can check exact exit codes ($?) of qnnc.
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qnn_obj_root, "test")

config.substitutions.append(("%python", config.python))
config.substitutions.append(("%models", config.test_models))
config.environment["QNNC_TEST_MODELS"] = config.test_models
if os.path.isdir(config.test_models):
    config.available_features.add("shared-models")

llvm_config.with_system_environment(["HOME", "PATH"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.qnn_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["qnn-opt", "qnnc", "qnn-equiv", "qnn-gemm-gen"], [config.qnn_tools_dir])
