#pragma once

#include <QSettings>
#include <QString>
#include <QVariant>

#include <utility>

namespace densito {

/// A typed QSettings entry: the key and its default are declared once, next to the code that
/// uses them, and every read and write goes through the same type. Reads and writes use a
/// default-constructed QSettings (organisation and application names set in main()).
template <typename T> class SettingKey {
public:
    SettingKey(const char* key, T defaultValue) : m_key(key), m_default(std::move(defaultValue)) {}

    T value() const {
        const QVariant stored = QSettings().value(m_key);
        return stored.canConvert<T>() ? stored.value<T>() : m_default;
    }
    void setValue(const T& value) const { QSettings().setValue(m_key, QVariant::fromValue(value)); }
    void remove() const { QSettings().remove(m_key); }
    QString key() const { return m_key; }

private:
    QString m_key;
    T m_default;
};

} // namespace densito
