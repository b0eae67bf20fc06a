/* SPDX-License-Identifier: MIT */
#include "sig_fixture.h"
