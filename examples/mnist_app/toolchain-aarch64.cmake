# Debian's aarch64 cross compiler (g++-aarch64-linux-gnu); run the result with
#   qemu-aarch64 -L /usr/aarch64-linux-gnu ./mnist_app DIGITS_DIR
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# The qnnc package lives on the build machine.
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
