// The regression driver of the normal (gcc) build: runs every file under the
// folders and files given through a harness's LLVMFuzzerTestOneInput, the way
// libFuzzer replays a crash input, so an input that crashed once stays fixed.
// Fails when it finds no input at all (a test that ran nothing must not pass).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char **argv)
{
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        if (fs::is_directory(arg)) {
            for (const auto &e : fs::recursive_directory_iterator(arg))
                if (e.is_regular_file() && e.path().filename() != "README.md")
                    inputs.push_back(e.path());
        } else if (fs::is_regular_file(arg)) {
            inputs.push_back(arg);
        } else {
            std::fprintf(stderr, "%s: no such file or folder\n", argv[i]);
            return 1;
        }
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "no regression input found\n");
        return 1;
    }
    std::sort(inputs.begin(), inputs.end());
    for (const fs::path &p : inputs) {
        std::ifstream in(p, std::ios::binary);
        const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) {
            std::fprintf(stderr, "%s: cannot read\n", p.c_str());
            return 1;
        }
        std::fprintf(stderr, "running %s (%zu bytes)\n", p.c_str(), data.size());
        // A copy of exactly `size` bytes, so reading past the end is caught as libFuzzer would.
        std::vector<uint8_t> buf(data.begin(), data.end());
        LLVMFuzzerTestOneInput(buf.data(), buf.size());
    }
    std::fprintf(stderr, "%zu regression inputs passed\n", inputs.size());
    return 0;
}
