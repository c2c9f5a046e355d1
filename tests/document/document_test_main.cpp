// gtest main for the document tests: BlotDocument delivers worker results through the Qt
// event loop, which needs a QCoreApplication.

#include <QCoreApplication>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
